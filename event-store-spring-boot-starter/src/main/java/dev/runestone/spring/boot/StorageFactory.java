package dev.runestone.spring.boot;

import dev.runestone.sqlite.SqliteStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
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
            case SQLITE -> sqlite(properties, dataSource);
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
                    yield sqlite(properties, null);
                }
                String product = product(dataSource).toLowerCase(Locale.ROOT);
                if (product.contains("sqlite")) {
                    yield sqliteOn(dataSource);
                }
                if (!product.contains("postgres")) {
                    throw new RunestoneConfigurationException("runestone.storage",
                            "The application's DataSource is " + product(dataSource) + "; Runestone keeps events in "
                                    + "PostgreSQL or SQLite.",
                            "Set runestone.storage=sqlite to keep them in the file runestone.sqlite.path, point "
                                    + "spring.datasource.url at PostgreSQL or an SQLite file, or declare a "
                                    + "StorageAdapter bean.");
                }
                yield postgres(properties, dataSource, classLoader);
            }
        };
    }

    /**
     * The file {@code runestone.sqlite.path}; an application DataSource on the same file is the one its
     * transactional handlers join.
     */
    private static StoreDatabase sqlite(RunestoneProperties properties, @Nullable DataSource dataSource) {
        Path path = properties.getSqlite().getPath().toAbsolutePath().normalize();
        Path directory = path.getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw new RunestoneConfigurationException("runestone.sqlite.path",
                    "runestone.sqlite.path is " + path + ", but its directory does not exist.",
                    "Create " + directory + " or set runestone.sqlite.path to a file in a directory that exists.");
        }
        boolean sameFile = dataSource != null && path.equals(sqliteFileIfReachable(dataSource));
        return new StoreDatabase(SqliteStorage.file(path), sameFile ? dataSource : null);
    }

    /** The store in the SQLite file of the application's DataSource, whose connections read what it writes. */
    private static StoreDatabase sqliteOn(DataSource dataSource) {
        Path file = sqliteFile(dataSource);
        if (file == null) {
            throw new RunestoneConfigurationException("spring.datasource.url",
                    "The application's DataSource is an SQLite database in memory, which another connection cannot "
                            + "share with the store.",
                    "Point spring.datasource.url at a file (jdbc:sqlite:events.db), or set runestone.storage=sqlite "
                            + "to keep the events in runestone.sqlite.path.");
        }
        return new StoreDatabase(SqliteStorage.file(file), dataSource);
    }

    /** {@link #sqliteFile}, or null when the DataSource cannot be reached: then it is not the store's file. */
    private static @Nullable Path sqliteFileIfReachable(DataSource dataSource) {
        try {
            return sqliteFile(dataSource);
        } catch (RunestoneConfigurationException e) {
            return null;
        }
    }

    /** The file an SQLite DataSource opens, from its URL ({@code jdbc:sqlite:[file:]path[?…]}); null in memory. */
    private static @Nullable Path sqliteFile(DataSource dataSource) {
        String url = metadata(dataSource, DatabaseMetaData::getURL);
        if (!url.startsWith("jdbc:sqlite:")) {
            return null;
        }
        String file = url.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        boolean inMemory = query >= 0 && file.substring(query).contains("mode=memory");
        file = query >= 0 ? file.substring(0, query) : file;
        file = file.startsWith("file:") ? file.substring("file:".length()) : file;
        if (inMemory || file.isEmpty() || file.equals(":memory:")) {
            return null;
        }
        return Path.of(file).toAbsolutePath().normalize();
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
        return metadata(dataSource, DatabaseMetaData::getDatabaseProductName);
    }

    /** One fact a connection's metadata tells. */
    @FunctionalInterface
    private interface Fact {
        String of(DatabaseMetaData metadata) throws SQLException;
    }

    private static String metadata(DataSource dataSource, Fact fact) {
        try (Connection connection = dataSource.getConnection()) {
            return fact.of(connection.getMetaData());
        } catch (SQLException e) {
            throw new RunestoneConfigurationException("spring.datasource.url",
                    "Runestone could not connect to the application's DataSource to see which database it is: "
                            + e.getMessage(),
                    "Check spring.datasource.url and the server, or set runestone.storage to postgres or sqlite.",
                    e);
        }
    }
}
