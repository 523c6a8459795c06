package dev.runestone.sqlite;

import dev.runestone.StorageException;
import dev.runestone.StoreClosedException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The connections of one store: a single writer connection behind a fair lock, and for a file a few reader
 * connections that WAL lets run beside the writer.
 *
 * <p>Every write in the process goes through the one writer connection under the lock, so threads of this store
 * never race each other for SQLite's write lock and never see {@code SQLITE_BUSY}; the busy timeout only covers
 * other processes, or other stores, on the same file. An in-memory database exists only inside its one connection,
 * so there it also serves every read, under the same lock.
 *
 * <p>Thread-safe.
 */
final class SqliteConnections {

    /** Work to run on a connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final int READERS = 4;
    private static final long READER_WAIT_MILLIS = 50;
    private static final long WAL_RETRY_MILLIS = 5;

    private final String location;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final Connection writer;
    private final @Nullable BlockingQueue<Connection> idleReaders;
    /** Asks the file whether another connection committed; only the commit watch uses it. Null in memory. */
    private final @Nullable Connection watcher;
    /** Kept prepared: the watch asks every few milliseconds. Guarded by {@link #watcher}. */
    private @Nullable PreparedStatement dataVersionQuery;
    /** Guarded by {@link #writeLock}. */
    private final Map<String, PreparedStatement> writerStatements = new HashMap<>();
    private volatile boolean closed;

    private SqliteConnections(String location, Connection writer, @Nullable BlockingQueue<Connection> idleReaders,
            @Nullable Connection watcher) {
        this.location = location;
        this.writer = writer;
        this.idleReaders = idleReaders;
        this.watcher = watcher;
    }

    /**
     * Opens a file database in WAL mode, runs {@code setUp} in a write transaction on the writer, then opens the
     * readers.
     */
    static SqliteConnections openFile(Path file, boolean synchronousFull, Duration busyTimeout, SqlWork<?> setUp)
            throws SQLException {
        String url = "jdbc:sqlite:" + file;
        int busyMillis = Math.toIntExact(busyTimeout.toMillis());
        Connection writer = open(url, busyMillis);
        BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
        List<Connection> opened = new ArrayList<>();
        try {
            requireWal(writer, file, busyTimeout);
            execute(writer, "PRAGMA synchronous = " + (synchronousFull ? "FULL" : "NORMAL"));
            inTransaction(writer, "BEGIN IMMEDIATE", setUp);
            for (int i = 0; i <= READERS; i++) {
                Connection reader = open(url, busyMillis);
                opened.add(reader);
                execute(reader, "PRAGMA query_only = ON");
            }
        } catch (SQLException | RuntimeException | Error failure) {
            closeAll(failure, writer, opened);
            throw failure;
        }
        readers.addAll(opened.subList(0, READERS));
        return new SqliteConnections(file.toString(), writer, readers, opened.get(READERS));
    }

    /** Opens a private in-memory database and runs {@code setUp} in a write transaction on it. */
    static SqliteConnections openInMemory(SqlWork<?> setUp) throws SQLException {
        Connection connection = open("jdbc:sqlite::memory:", 0);
        try {
            inTransaction(connection, "BEGIN IMMEDIATE", setUp);
        } catch (SQLException | RuntimeException | Error failure) {
            closeAll(failure, connection, List.of());
            throw failure;
        }
        return new SqliteConnections(":memory:", connection, null, null);
    }

    /** Where the database lives: its file path, or {@code :memory:}. */
    String location() {
        return location;
    }

    /** Runs {@code work} in a write transaction ({@code BEGIN IMMEDIATE}), rolled back if it throws. */
    <T> T writeTransaction(SqlWork<T> work) throws SQLException {
        writeLock.lock();
        try {
            requireOpen();
            return inTransaction(writer, "BEGIN IMMEDIATE", work);
        } finally {
            writeLock.unlock();
        }
    }

    /** Work that may throw anything, such as a user's handler inside a subscription's transaction. */
    @FunctionalInterface
    interface ThrowingWork<T> {
        T run(Connection connection) throws Exception;
    }

    /**
     * Runs {@code work} in a write transaction ({@code BEGIN IMMEDIATE}), rolled back if it throws; what it throws
     * propagates unchanged.
     */
    <T> T writeTransactionThrowing(ThrowingWork<T> work) throws Exception {
        writeLock.lock();
        try {
            requireOpen();
            execute(writer, "BEGIN IMMEDIATE");
            try {
                T result = work.run(writer);
                execute(writer, "COMMIT");
                return result;
            } catch (Throwable failure) {
                try {
                    execute(writer, "ROLLBACK");
                } catch (SQLException rollbackFailure) {
                    failure.addSuppressed(rollbackFailure);
                }
                throw failure;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs read-only {@code work} on a reader connection, outside any transaction unless the work opens one: a
     * single statement always sees one consistent snapshot.
     */
    <T> T read(SqlWork<T> work) throws SQLException {
        BlockingQueue<Connection> readers = idleReaders;
        if (readers == null) {
            writeLock.lock();
            try {
                requireOpen();
                return work.run(writer);
            } finally {
                writeLock.unlock();
            }
        }
        Connection reader = borrow(readers);
        try {
            return work.run(reader);
        } finally {
            giveBack(readers, reader);
        }
    }

    /** Whether other connections, in this process or another, can write to the database: a file's can. */
    boolean shared() {
        return watcher != null;
    }

    /**
     * SQLite's {@code PRAGMA data_version} on a connection kept for it: a number that changes when another
     * connection commits (the writer of this store included). Reads only the shared memory index in WAL mode.
     */
    long dataVersion() throws SQLException {
        Connection connection = Objects.requireNonNull(watcher, "an in-memory database has no watcher");
        synchronized (connection) {
            requireOpen();
            if (dataVersionQuery == null) {
                dataVersionQuery = connection.prepareStatement("PRAGMA data_version");
            }
            try (ResultSet row = dataVersionQuery.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Throws {@link StoreClosedException} if {@link #close()} has been called. */
    void requireOpen() {
        if (closed) {
            throw closedFailure();
        }
    }

    /** Whether this thread holds the write lock, as work inside a subscription's transaction does. */
    boolean writingOnThisThread() {
        return writeLock.isHeldByCurrentThread();
    }

    /** What a call gets once the store is closed. */
    StoreClosedException closedFailure() {
        return new StoreClosedException("SQLite store " + location + " is closed; open a new SqliteStorage to "
                + "use it again.");
    }

    /**
     * The writer's prepared statement for {@code sql}, compiled on first use and kept until {@link #close()}: SQLite
     * compiles a statement on every prepare, which made a single append cost a quarter more than it had to. Only for
     * work running on the writer, which {@code connection} must be, under the write lock; the caller must not close
     * the statement, and must close the result sets it opens.
     */
    PreparedStatement writerStatement(Connection connection, String sql) throws SQLException {
        if (connection != writer || !writeLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("A writer statement was asked for outside work on the writer under the "
                    + "write lock; this is a bug in Runestone's SQLite adapter");
        }
        PreparedStatement statement = writerStatements.get(sql);
        if (statement == null) {
            statement = writer.prepareStatement(sql);
            writerStatements.put(sql, statement);
        }
        return statement;
    }

    /**
     * Forgets the writer's kept statement for {@code sql} after an execution of it failed: the driver finalises a
     * statement on most errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_ERROR …) without marking it closed, so keeping it
     * would fail every later use with "statement is not executing". The next use prepares it again.
     */
    void discardWriterStatement(String sql) {
        PreparedStatement statement = writerStatements.remove(sql);
        if (statement != null) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // Already finalised by the driver; nothing else holds native resources.
            }
        }
    }

    /**
     * Closes the writer and every idle reader; a reader in use is closed when its read returns. Idempotent.
     */
    void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            // Closing the connection finalises its statements too.
            writerStatements.clear();
            closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
        if (idleReaders != null) {
            closeIdle(idleReaders);
        }
        if (watcher != null) {
            synchronized (watcher) {
                closeQuietly(watcher);
            }
        }
    }

    /**
     * Runs {@code work} between {@code begin} and {@code COMMIT} on {@code connection}, rolling back if anything
     * fails, commit included, so that nothing is ever half-written and no connection is left inside a transaction.
     */
    static <T> T inTransaction(Connection connection, String begin, SqlWork<T> work) throws SQLException {
        execute(connection, begin);
        try {
            T result = work.run(connection);
            execute(connection, "COMMIT");
            return result;
        } catch (Throwable failure) {
            try {
                execute(connection, "ROLLBACK");
            } catch (SQLException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            throw failure;
        }
    }

    private Connection borrow(BlockingQueue<Connection> readers) {
        while (true) {
            requireOpen();
            Connection reader;
            try {
                reader = readers.poll(READER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("Interrupted while waiting for a read connection to SQLite store "
                        + location + "; nothing was read.", e);
            }
            if (reader != null) {
                if (closed) {
                    giveBack(readers, reader);
                    requireOpen();
                }
                return reader;
            }
        }
    }

    private void giveBack(BlockingQueue<Connection> readers, Connection reader) {
        readers.add(reader);
        // close() may have drained the queue between our check and our add; whoever runs last closes the rest.
        if (closed) {
            closeIdle(readers);
        }
    }

    private static void closeIdle(BlockingQueue<Connection> readers) {
        Connection reader;
        while ((reader = readers.poll()) != null) {
            closeQuietly(reader);
        }
    }

    /**
     * Switches the file to WAL. When several connections open a fresh file at once, SQLite may refuse the switch
     * with {@code SQLITE_BUSY} straight away, without waiting through the busy timeout (waiting could deadlock), so
     * the switch is retried here until the busy timeout runs out.
     */
    private static void requireWal(Connection writer, Path file, Duration busyTimeout) throws SQLException {
        long deadline = System.nanoTime() + busyTimeout.toNanos();
        String journalMode;
        while (true) {
            try (Statement statement = writer.createStatement();
                    ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
                journalMode = mode.next() ? mode.getString(1) : "unknown";
                break;
            } catch (SQLException e) {
                if (!isBusy(e) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                pause(e);
            }
        }
        if (!"wal".equalsIgnoreCase(journalMode)) {
            throw new StorageException("SQLite store " + file + " could not switch to WAL mode (it stays in '"
                    + journalMode + "' mode). WAL needs shared memory between processes, which network file "
                    + "systems lack: keep the file on a local disk.");
        }
    }

    private static void pause(SQLException busy) throws SQLException {
        try {
            Thread.sleep(WAL_RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy;
        }
    }

    /** Tells whether SQLite refused because another connection holds a lock, whatever the extended code. */
    static boolean isBusy(SQLException failure) {
        // Extended result codes (SQLITE_BUSY_SNAPSHOT, …) keep the primary code in their low byte.
        return failure instanceof SQLiteException sqlite
                && (sqlite.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code;
    }

    private static Connection open(String url, int busyTimeoutMillis) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMillis);
        return config.createConnection(url);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void closeAll(Throwable failure, Connection writer, List<Connection> readers) {
        for (Connection reader : readers) {
            closeSuppressing(failure, reader);
        }
        closeSuppressing(failure, writer);
    }

    private static void closeSuppressing(Throwable failure, Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing releases native resources; a failure here leaves nothing the caller could act on.
        }
    }
}
