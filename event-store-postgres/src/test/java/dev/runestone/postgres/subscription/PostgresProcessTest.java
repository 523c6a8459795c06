package dev.runestone.postgres.subscription;

import dev.runestone.postgres.PostgresStorage;
import dev.runestone.postgres.TestServer;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.testkit.process.StoreOpener;
import dev.runestone.testkit.process.SubscriptionProcessSuite;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Child JVMs sharing one subscription on one PostgreSQL schema, killed with SIGKILL part way through. */
class PostgresProcessTest extends SubscriptionProcessSuite {

    private static final TestServer SERVER = TestServer.get();

    private final List<String> schemas = new ArrayList<>();

    @Override
    protected StoreOpener opener() {
        return new SchemaOpener();
    }

    @Override
    protected List<String> newDatabase() {
        String schema = SERVER.newSchema();
        schemas.add(schema);
        return List.of(SERVER.jdbcUrl(), schema);
    }

    @AfterEach
    void dropSchemas() {
        schemas.forEach(SERVER::dropSchema);
    }

    /** Opens the schema named by the second argument on the server the first names, in this JVM and in each child. */
    public static final class SchemaOpener implements StoreOpener {

        @Override
        public StorageAdapter open(List<String> database) {
            // A worker per partition the process holds (all six, when it runs alone), and two more.
            return PostgresStorage.builder().jdbcUrl(inSchema(database)).schema(database.get(1)).poolSize(8).build();
        }

        @Override
        public Connection connect(List<String> database) throws SQLException {
            return DriverManager.getConnection(inSchema(database));
        }

        /** The URL with the schema as the search path, so that the test's table is found without naming it. */
        private static String inSchema(List<String> database) {
            String url = database.getFirst();
            return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + database.get(1);
        }
    }
}
