package dev.runestone.postgres;

/**
 * The names of one store's tables, qualified with its schema. The schema name has been validated and is always
 * quoted, so these are the only text ever spliced into SQL; every value travels as a bound parameter.
 *
 * @param schema  the schema name, unquoted
 * @param channel the {@code LISTEN}/{@code NOTIFY} channel that announces appends, unquoted
 */
record Tables(String schema, String events, String relations, String snapshots, String subscriptions,
        String schemaVersion, String logState, String channel) {

    static Tables inSchema(String schema) {
        String quoted = "\"" + schema + "\".";
        return new Tables(schema, quoted + "events", quoted + "relations", quoted + "snapshots",
                quoted + "subscriptions", quoted + "schema_version", quoted + "log_state", schema + "_events");
    }

    /** The schema name, quoted for SQL. */
    String quotedSchema() {
        return "\"" + schema + "\"";
    }
}
