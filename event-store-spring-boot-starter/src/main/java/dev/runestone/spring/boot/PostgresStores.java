package dev.runestone.spring.boot;

import dev.runestone.postgres.PostgresStorage;
import javax.sql.DataSource;

/** Kept apart so that the PostgreSQL adapter's classes load only when the application has that adapter. */
final class PostgresStores {

    private PostgresStores() {
    }

    static PostgresStorage open(DataSource dataSource, String schema) {
        PostgresStorage.Builder builder = PostgresStorage.builder().dataSource(dataSource);
        try {
            builder.schema(schema);
        } catch (IllegalArgumentException e) {
            throw new RunestoneConfigurationException("runestone.postgres.schema", e.getMessage(),
                    "Set runestone.postgres.schema to a plain name such as runestone or events.", e);
        }
        return builder.build();
    }
}
