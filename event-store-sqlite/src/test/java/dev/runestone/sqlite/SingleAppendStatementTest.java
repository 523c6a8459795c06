package dev.runestone.sqlite;

import static dev.runestone.sqlite.TestEvents.RECORDED;
import static dev.runestone.sqlite.TestEvents.created;
import static dev.runestone.sqlite.TestEvents.event;
import static dev.runestone.sqlite.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.runestone.ConcurrencyException;
import dev.runestone.DuplicateEventIdException;
import dev.runestone.ExpectedVersion;
import dev.runestone.StorageException;
import dev.runestone.StoreClosedException;
import dev.runestone.spi.AppendOutcome;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.GroupCommit;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.StoredEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;

/**
 * The single-event append runs one statement kept prepared on the writer connection. These tests use that statement
 * again after everything that can happen to an execution of it: a failure of SQLite's own, a refusal by a trigger, a
 * broken expectation or a duplicate (both rolled back), another process holding the write lock, work of a
 * subscription's transaction on the writer, and closing the store. And the kept statements of coalesced appends:
 * appends that queue share one commit, a group survives a member's failure, and a group whose transaction SQLite
 * ended leaves the next groups working.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SingleAppendStatementTest {

    private static final String EVENTS = "runestone_events";

    @TempDir
    Path directory;

    private Path file;
    private SqliteStorage storage;

    @BeforeEach
    void open_a_file_store() {
        file = directory.resolve("events.db");
        storage = SqliteStorage.builder().file(file).busyTimeout(Duration.ofMillis(200)).build();
    }

    @AfterEach
    void close_the_store() {
        storage.close();
    }

    private StoredEvent appendOne(String stream, int n) {
        AppendOutcome outcome = storage.append(request(event(stream, "Happened", created(n))));
        assertThat(outcome.stored()).hasSize(1);
        return outcome.stored().getFirst();
    }

    /** Runs SQL on the writer connection, inside a write transaction, as a subscription's transactional handler. */
    private void onTheWriter(String... statements) throws Exception {
        storage.runInTransaction(UUID.randomUUID(), connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            return List.of();
        });
    }

    private long pageCountOfTheWriter() throws Exception {
        long[] pages = new long[1];
        storage.runInTransaction(UUID.randomUUID(), connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("PRAGMA page_count")) {
                row.next();
                pages[0] = row.getLong(1);
            }
            return List.of();
        });
        return pages[0];
    }

    private Connection otherProcess() throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 5000");
        }
        return connection;
    }

    @Test
    void a_single_append_works_again_once_the_disk_has_room_again() throws Exception {
        appendOne("s", 1);

        // The writer may not grow the file: a bigger event fails as it would on a full disk (SQLITE_FULL).
        onTheWriter("PRAGMA max_page_count = " + pageCountOfTheWriter());
        NewEvent big = new NewEvent(UUID.randomUUID(), "s", "Big", "{\"text\":\"" + "x".repeat(200_000) + "\"}",
                null, created(2));
        assertThatThrownBy(() -> storage.append(request(big)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("full");

        onTheWriter("PRAGMA max_page_count = 1073741823");
        // A batch prepares its statements afresh and works at once.
        assertThat(storage.append(request(event("t", "Happened", created(3)), event("t", "Happened", created(4))))
                .stored()).hasSize(2);
        // So must a single event, which runs the kept statement.
        assertThat(appendOne("s", 5).version()).isEqualTo(2);
        assertThat(storage.streamVersion("s")).isEqualTo(2);
    }

    @Test
    void a_single_append_works_again_after_sqlite_failed_one_with_an_error() throws Exception {
        appendOne("s", 1);
        try (Connection other = otherProcess(); Statement statement = other.createStatement()) {
            // A runtime error (SQLITE_ERROR) while the kept statement runs: malformed JSON in a trigger.
            statement.execute("CREATE TRIGGER refuse BEFORE INSERT ON " + EVENTS
                    + " WHEN NEW.stream = 'refused' BEGIN SELECT json('not json'); END");
        }
        assertThatThrownBy(() -> appendOne("refused", 2)).isInstanceOf(StorageException.class);

        assertThat(appendOne("s", 3).version()).isEqualTo(2);
    }

    @Test
    void a_single_append_works_again_after_a_trigger_refused_one() throws Exception {
        appendOne("s", 1);
        try (Connection other = otherProcess(); Statement statement = other.createStatement()) {
            // A refusal (SQLITE_CONSTRAINT) while the kept statement runs.
            statement.execute("CREATE TRIGGER refuse BEFORE INSERT ON " + EVENTS
                    + " WHEN NEW.stream = 'refused' BEGIN SELECT RAISE(ABORT, 'refused'); END");
        }
        assertThatThrownBy(() -> appendOne("refused", 2)).isInstanceOf(StorageException.class)
                .hasMessageContaining("refused");

        assertThat(appendOne("s", 3).version()).isEqualTo(2);
        assertThat(storage.streamVersion("refused")).isZero();
    }

    @Test
    void a_group_whose_transaction_a_trigger_rolled_back_fails_whole_and_the_next_groups_keep_their_outcomes()
            throws Exception {
        try (Connection other = otherProcess(); Statement statement = other.createStatement()) {
            // RAISE(ROLLBACK) ends the whole transaction, taking the append's savepoint with it.
            statement.execute("CREATE TRIGGER end_it BEFORE INSERT ON " + EVENTS
                    + " WHEN NEW.stream = 'doomed' BEGIN SELECT RAISE(ROLLBACK, 'doomed'); END");
        }
        List<GroupCommit.Result> doomed = storage.appendGroup(List.of(
                request(event("a", "Happened", created(1))), request(event("doomed", "Happened", created(2)))));
        assertThat(doomed).allSatisfy(result -> assertThat(result.failure()).isInstanceOf(StorageException.class)
                .hasMessageContaining("doomed"));
        assertThat(storage.streamVersion("a")).isZero();
        try (Connection other = otherProcess(); Statement statement = other.createStatement()) {
            statement.execute("DROP TRIGGER end_it");
        }

        List<GroupCommit.Result> next = storage.appendGroup(List.of(
                request(event("c", "Happened", created(3))),
                request(Map.of("c", ExpectedVersion.exactly(7)), event("c", "Happened", created(4)))));

        assertThat(next.getFirst().outcome().stored()).extracting(StoredEvent::version).containsExactly(1L);
        assertThat(next.getLast().failure()).isInstanceOf(ConcurrencyException.class);
        assertThat(storage.streamVersion("c")).isEqualTo(1);
    }

    @Test
    void an_append_from_inside_a_subscriptions_transaction_fails_at_once_while_another_thread_waits_to_append()
            throws Exception {
        CompletableFuture<AppendOutcome> other = new CompletableFuture<>();
        Throwable refused = catchThrowable(() -> storage.runInTransaction(UUID.randomUUID(), connection -> {
            Thread appending = Thread.ofPlatform().daemon().start(() -> {
                try {
                    other.complete(storage.append(request(event("other", "Happened", created(1)))));
                } catch (RuntimeException e) {
                    other.completeExceptionally(e);
                }
            });
            // The other append writes its own group and waits for the write lock this transaction holds.
            awaitUntil(() -> appending.getState() == Thread.State.WAITING);
            storage.append(request(event("inside", "Happened", created(2))));
            return List.of();
        }));

        assertThat(refused).isInstanceOf(StorageException.class);
        assertThat(other.get(10, TimeUnit.SECONDS).stored()).hasSize(1);
        assertThat(storage.streamVersion("inside")).isZero();
    }

    @Test
    void appends_that_queue_behind_another_commit_together_in_one_transaction() throws Exception {
        AtomicInteger commits = new AtomicInteger();
        storage.runInTransaction(UUID.randomUUID(), connection -> {
            connection.unwrap(SQLiteConnection.class).addCommitListener(new SQLiteCommitListener() {
                @Override
                public void onCommit() {
                    commits.incrementAndGet();
                }

                @Override
                public void onRollback() {
                }
            });
            return List.of();
        });
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holding = CompletableFuture.runAsync(() -> {
            try {
                storage.runInTransaction(UUID.randomUUID(), connection -> {
                    held.countDown();
                    release.await();
                    return List.of();
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        int before;
        List<CompletableFuture<AppendOutcome>> appends = new ArrayList<>();
        try {
            assertThat(held.await(10, TimeUnit.SECONDS)).as("the writer is held").isTrue();
            // The first append writes its own group and waits for the writer the transaction above holds; the
            // others queue behind it.
            List<Thread> threads = new ArrayList<>();
            for (int n = 1; n <= 4; n++) {
                String stream = "s" + n;
                int created = n;
                CompletableFuture<AppendOutcome> outcome = new CompletableFuture<>();
                appends.add(outcome);
                threads.add(Thread.ofPlatform().daemon().start(() -> {
                    try {
                        outcome.complete(storage.append(request(event(stream, "Happened", created(created)))));
                    } catch (RuntimeException e) {
                        outcome.completeExceptionally(e);
                    }
                }));
                awaitUntil(() -> threads.getLast().getState() == Thread.State.WAITING);
            }
            awaitUntil(() -> threads.stream().skip(1)
                    .allMatch(thread -> LockSupport.getBlocker(thread) instanceof GroupCommit));
            before = commits.get();
        } finally {
            release.countDown();
        }
        holding.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<AppendOutcome> append : appends) {
            assertThat(append.get(10, TimeUnit.SECONDS).stored()).hasSize(1);
        }

        assertThat(commits.get() - before).as("commits: the holding transaction, the first append, the other three")
                .isEqualTo(3);
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    @Test
    void a_single_append_works_again_after_rolled_back_conflicts_and_duplicates() {
        StoredEvent first = appendOne("s", 1);

        assertThatThrownBy(() -> storage.append(request(Map.of("s", ExpectedVersion.exactly(5)),
                event("s", "Happened", created(2)))))
                .isInstanceOfSatisfying(ConcurrencyException.class,
                        e -> assertThat(e.actual()).isEqualTo(1));
        NewEvent sameId = new NewEvent(first.id(), "s", "Other", "{}", null, created(3));
        assertThatThrownBy(() -> storage.append(request(sameId))).isInstanceOf(DuplicateEventIdException.class);
        NewEvent again = new NewEvent(first.id(), first.stream(), first.type(), first.data(), first.meta(),
                first.created());
        AppendOutcome repeat = storage.append(new AppendRequest(List.of(again),
                Map.of("s", ExpectedVersion.exactly(7)), RECORDED));
        assertThat(repeat.stored()).isEmpty();
        assertThat(repeat.duplicates()).containsExactly(first.id());

        StoredEvent second = storage.append(request(Map.of("s", ExpectedVersion.exactly(1)),
                event("s", "Happened", created(4)))).stored().getFirst();
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.position()).isGreaterThan(first.position());
        assertThat(storage.readLog(0, 10)).extracting(StoredEvent::id).containsExactly(first.id(), second.id());
    }

    @Test
    void a_single_append_works_again_after_another_process_held_the_write_lock() throws Exception {
        appendOne("s", 1);
        try (Connection other = otherProcess(); Statement statement = other.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try {
                assertThatThrownBy(() -> appendOne("s", 2)).isInstanceOf(StorageException.class)
                        .hasMessageContaining("busy timeout");
            } finally {
                statement.execute("ROLLBACK");
            }
        }
        assertThat(appendOne("s", 3).version()).isEqualTo(2);
    }

    @Test
    void a_single_append_works_after_a_subscription_transaction_used_the_writer() throws Exception {
        appendOne("s", 1);
        storage.runInTransaction(UUID.randomUUID(), connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS view (id TEXT PRIMARY KEY)");
                statement.execute("INSERT INTO view VALUES ('a')");
            }
            return List.of();
        });
        assertThatThrownBy(() -> storage.runInTransaction(UUID.randomUUID(), connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO view VALUES ('b')");
            }
            throw new IllegalStateException("handler failed");
        })).hasMessage("handler failed");

        assertThat(appendOne("s", 2).version()).isEqualTo(2);
    }

    @Test
    void a_single_append_after_close_is_refused_as_closed() {
        appendOne("s", 1);
        storage.close();
        assertThatThrownBy(() -> appendOne("s", 2)).isInstanceOf(StoreClosedException.class);
    }
}
