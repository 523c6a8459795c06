package dev.runestone.sqlite;

/**
 * The names of one store's tables. The prefix has been validated, so these are the only text ever spliced into
 * SQL; every value travels as a bound parameter.
 */
record Tables(String prefix, String events, String relations, String snapshots, String subscriptions,
        String schemaVersion) {

    static Tables withPrefix(String prefix) {
        return new Tables(prefix, prefix + "events", prefix + "relations", prefix + "snapshots",
                prefix + "subscriptions", prefix + "schema_version");
    }
}
