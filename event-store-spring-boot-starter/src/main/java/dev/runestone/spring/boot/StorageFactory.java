package dev.runestone.spring.boot;

import dev.runestone.sqlite.SqliteStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/** Opens the storage the properties ask for, on the application's DataSource or an embedded SQLite file. */
final class StorageFactory {

    private static final String POSTGRES_STORAGE = "dev.runestone.postgres.PostgresStorage";

    private StorageFactory() {
    }

    static StoreDatabase open(RunestoneProperties properties, @Nullable DataSource dataSource,
            ClassLoader classLoader) {
        return switch (properties.getStorage()) {
            case SQLITE -> sqlite(properties);
            case POSTGRES -> {
                if (dataSource == null) {
                    throw new RunestoneConfigurationException("runestone.storage",
                            "runestone.storage is 'postgres' but the application has no DataSource.",
                            "Configure one (spring.datasource.url=jdbc:postgresql://…, with spring-boot-starter-jdbc "
                                    + "and the PostgreSQL driver on the classpath), or set runestone.storage=sqlite.");
                }
                yield postgres(properties, dataSource, classLoader);
            }
            case AUTO -> {
                if (dataSource == null) {
                    yield sqlite(properties);
                }
                String product = product(dataSource);
                if (!product.toLowerCase(Locale.ROOT).contains("postgres")) {
                    throw new RunestoneConfigurationException("runestone.storage",
                            "The application's DataSource is " + product + "; Runestone keeps events in PostgreSQL "
                                    + "or in an embedded SQLite file.",
                            "Set runestone.storage=sqlite to keep them in the file runestone.sqlite.path, point "
                                    + "spring.datasource.url at PostgreSQL, or declare a StorageAdapter bean.");
                }
                yield postgres(properties, dataSource, classLoader);
            }
        };
    }

    private static StoreDatabase sqlite(RunestoneProperties properties) {
        Path path = properties.getSqlite().getPath().toAbsolutePath();
        Path directory = path.getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw new RunestoneConfigurationException("runestone.sqlite.path",
                    "runestone.sqlite.path is " + path + ", but its directory does not exist.",
                    "Create " + directory + " or set runestone.sqlite.path to a file in a directory that exists.");
        }
        return new StoreDatabase(SqliteStorage.file(path), null);
    }

    private static StoreDatabase postgres(RunestoneProperties properties, DataSource dataSource,
            ClassLoader classLoader) {
        if (!ClassUtils.isPresent(POSTGRES_STORAGE, classLoader)) {
            throw new RunestoneConfigurationException("runestone.storage",
                    "The application's DataSource is PostgreSQL, but Runestone's PostgreSQL adapter is not on the "
                            + "classpath.",
                    "Add the dependency dev.runestone:event-store-postgres, or set runestone.storage=sqlite.");
        }
        return new StoreDatabase(PostgresStores.open(dataSource, properties.getPostgres().getSchema()), dataSource);
    }

    private static String product(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new RunestoneConfigurationException("spring.datasource.url",
                    "Runestone could not connect to the application's DataSource to see which database it is: "
                            + e.getMessage(),
                    "Check spring.datasource.url and the server, or set runestone.storage to postgres or sqlite.",
                    e);
        }
    }
}
