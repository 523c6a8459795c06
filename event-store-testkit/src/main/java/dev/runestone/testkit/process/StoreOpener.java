package dev.runestone.testkit.process;

import dev.runestone.spi.StorageAdapter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How the processes of a {@link SubscriptionProcessSuite} reach the database under test: the test's JVM and every
 * child JVM make an opener and open the same storage with it.
 *
 * <p>A child JVM makes its own opener from the class name, so an implementation must be a public class with a public
 * no-argument constructor. The storage is named by a few strings (a file path; a JDBC URL and a schema) because they
 * travel to the children as command-line arguments.
 *
 * <pre>{@code
 * public static final class FileOpener implements StoreOpener {
 *     public StorageAdapter open(List<String> database) {
 *         return SqliteStorage.file(Path.of(database.getFirst()));
 *     }
 *
 *     public Connection connect(List<String> database) throws SQLException {
 *         return DriverManager.getConnection("jdbc:sqlite:" + database.getFirst());
 *     }
 * }
 * }</pre>
 */
public interface StoreOpener {

    /**
     * Opens an adapter on the storage {@code database} names. The adapter must also implement
     * {@link dev.runestone.spi.SubscriptionStorage}, and must work from several processes at once.
     */
    StorageAdapter open(List<String> database);

    /**
     * A plain JDBC connection to the same database, in autocommit mode. The suite creates and reads a table of its own
     * through it, which the children's handlers write through the store's connections: an unqualified table name must
     * mean the same table on both.
     */
    Connection connect(List<String> database) throws SQLException;
}
