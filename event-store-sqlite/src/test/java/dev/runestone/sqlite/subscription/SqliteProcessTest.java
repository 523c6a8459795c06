package dev.runestone.sqlite.subscription;

import dev.runestone.spi.StorageAdapter;
import dev.runestone.sqlite.SqliteStorage;
import dev.runestone.testkit.process.StoreOpener;
import dev.runestone.testkit.process.SubscriptionProcessSuite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** Child JVMs sharing one subscription on one SQLite file, killed with SIGKILL part way through. */
class SqliteProcessTest extends SubscriptionProcessSuite {

    /** Four processes write to the file in turn; each waits its turn for far longer than the default allows. */
    private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path files;

    @Override
    protected StoreOpener opener() {
        return new FileOpener();
    }

    @Override
    protected List<String> newDatabase() {
        return List.of(files.resolve("events.db").toString());
    }

    /** Opens the store file named by the only argument, in this JVM and in each child. */
    public static final class FileOpener implements StoreOpener {

        @Override
        public StorageAdapter open(List<String> database) {
            return SqliteStorage.builder().file(Path.of(database.getFirst())).busyTimeout(BUSY_TIMEOUT).build();
        }

        @Override
        public Connection connect(List<String> database) throws SQLException {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(Math.toIntExact(BUSY_TIMEOUT.toMillis()));
            return config.createConnection("jdbc:sqlite:" + database.getFirst());
        }
    }
}
