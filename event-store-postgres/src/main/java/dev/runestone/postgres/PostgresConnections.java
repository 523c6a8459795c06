package dev.runestone.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.runestone.StoreClosedException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Where one store gets its connections: a HikariCP pool it made from a JDBC URL and closes with the store, or a
 * {@code DataSource} the user passed in and keeps.
 *
 * <p>Work runs in autocommit mode unless it asks for a transaction: every append and every write of the store is a
 * single statement, which PostgreSQL runs as its own transaction. Thread-safe.
 */
final class PostgresConnections {

    /** Work to run on a connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** No connection could be had, so the work never reached the server. */
    static final class ConnectionUnavailableException extends SQLException {

        private static final long serialVersionUID = 1L;

        ConnectionUnavailableException(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
        }
    }

    private final DataSource dataSource;
    private final @Nullable HikariDataSource ownedPool;
    private final @Nullable String url;
    private final Properties credentials;
    private final String location;
    private volatile boolean closed;

    private PostgresConnections(DataSource dataSource, @Nullable HikariDataSource ownedPool, @Nullable String url,
            Properties credentials, String location) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.url = url;
        this.credentials = credentials;
        this.location = location;
    }

    /**
     * Opens a pool of up to {@code poolSize} connections to {@code url}. Fails at once if the server cannot be
     * reached.
     *
     * @throws com.zaxxer.hikari.pool.HikariPool.PoolInitializationException if the first connection fails
     */
    static PostgresConnections pool(String url, @Nullable String user, @Nullable String password, int poolSize,
            Duration connectionTimeout, String poolName, @Nullable Object metricRegistry) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        Properties credentials = new Properties();
        if (user != null) {
            config.setUsername(user);
            credentials.setProperty("user", user);
        }
        if (password != null) {
            config.setPassword(password);
            credentials.setProperty("password", password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setPoolName(poolName);
        config.setAutoCommit(true);
        if (metricRegistry != null) {
            config.setMetricRegistry(metricRegistry);
        }
        HikariDataSource pool = new HikariDataSource(config);
        return new PostgresConnections(pool, pool, url, credentials, describe(url));
    }

    /** Uses the user's {@code dataSource}; {@link #close()} leaves it open. */
    static PostgresConnections borrowed(DataSource dataSource) {
        return new PostgresConnections(dataSource, null, null, new Properties(),
                "DataSource " + dataSource.getClass().getName());
    }

    /** The server and database, without credentials, for messages. */
    String location() {
        return location;
    }

    /** Runs {@code work} on a connection in autocommit mode. */
    <T> T autoCommit(SqlWork<T> work) throws SQLException {
        try (Connection connection = borrow()) {
            boolean wasAutoCommit = connection.getAutoCommit();
            if (!wasAutoCommit) {
                connection.setAutoCommit(true);
            }
            try {
                return work.run(connection);
            } finally {
                if (!wasAutoCommit && !connection.isClosed()) {
                    connection.setAutoCommit(false);
                }
            }
        }
    }

    /**
     * Runs {@code work} in a {@code READ COMMITTED} transaction, committed if it returns and rolled back if anything
     * fails, commit included.
     */
    <T> T transaction(SqlWork<T> work) throws SQLException {
        return inTransaction(work::run);
    }

    /** Work that may throw anything, such as a user's handler inside a subscription's transaction. */
    @FunctionalInterface
    interface ThrowingWork<T> {
        T run(Connection connection) throws Exception;
    }

    /**
     * Like {@link #transaction(SqlWork)}, for work that may throw anything; what it throws propagates unchanged
     * after the rollback.
     */
    <T> T transactionThrowing(ThrowingWork<T> work) throws Exception {
        return inTransaction(work::run);
    }

    /** Work throwing {@code X}: lets one transaction body serve both kinds of work above. */
    @FunctionalInterface
    private interface Work<T, X extends Exception> {
        T run(Connection connection) throws X;
    }

    private <T, X extends Exception> T inTransaction(Work<T, X> work) throws X, SQLException {
        try (Connection connection = borrow()) {
            boolean wasAutoCommit = connection.getAutoCommit();
            int isolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (Throwable failure) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    failure.addSuppressed(rollbackFailure);
                }
                throw failure;
            } finally {
                if (!connection.isClosed()) {
                    connection.setTransactionIsolation(isolation);
                    connection.setAutoCommit(wasAutoCommit);
                }
            }
        }
    }

    /**
     * A connection for the {@code LISTEN} loop, held for as long as it works. From an owned pool's URL it is a
     * connection of its own, outside the pool, so that waiting readers never take a pooled connection from writers;
     * from a user's {@code DataSource} it is one of its connections.
     */
    Connection listenerConnection() throws SQLException {
        requireOpen();
        return url == null ? dataSource.getConnection() : DriverManager.getConnection(url, credentials);
    }

    /**
     * With a pool of the store's own, a new connection outside it, for the caller to keep and close; empty with a
     * user's {@code DataSource}, whose connections should go back to it after each use.
     */
    Optional<Connection> connectionOutsideThePool() throws SQLException {
        requireOpen();
        return url == null ? Optional.empty() : Optional.of(DriverManager.getConnection(url, credentials));
    }

    /** Throws {@link StoreClosedException} if {@link #close()} has been called. */
    void requireOpen() {
        if (closed) {
            throw closedFailure();
        }
    }

    /** What a call gets once the store is closed. */
    StoreClosedException closedFailure() {
        return new StoreClosedException("PostgreSQL store on " + location + " is closed; build a new "
                + "PostgresStorage to use it again.");
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes the pool if the store made it; a user's {@code DataSource} stays open. Idempotent. */
    void close() {
        closed = true;
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    private Connection borrow() throws SQLException {
        requireOpen();
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new ConnectionUnavailableException(e);
        }
    }

    /** {@code jdbc:postgresql://host:port/database}, without the query string that may hold a password. */
    static String describe(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
