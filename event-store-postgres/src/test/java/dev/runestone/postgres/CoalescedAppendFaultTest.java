package dev.runestone.postgres;

import static dev.runestone.postgres.TestEvents.event;
import static dev.runestone.postgres.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.StorageException;
import dev.runestone.spi.AppendOutcome;
import dev.runestone.spi.GroupCommit;
import dev.runestone.spi.NewEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A group of coalesced appends whose statement dies with its server process (as in a server restart) fails every
 * append of the group with {@link StorageException} and writes none of it; the store goes on appending afterwards.
 * The test holds the statement in flight by locking the events table from a connection of its own.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CoalescedAppendFaultTest {

    private static final TestServer SERVER = TestServer.get();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<Thread> appending = new ArrayList<>();
    private String schema;
    private PostgresStorage storage;

    @BeforeEach
    void open_a_coalescing_store_in_a_fresh_schema() {
        schema = SERVER.newSchema();
        storage = SERVER.open(schema);
    }

    @AfterEach
    void close_the_store_and_drop_its_schema() {
        storage.close();
        SERVER.dropSchema(schema);
    }

    @Test
    void a_group_whose_server_process_is_terminated_fails_every_append_in_it_and_writes_nothing() throws Exception {
        List<CompletableFuture<AppendOutcome>> group;
        CompletableFuture<AppendOutcome> first;
        try (Connection locker = SERVER.connect()) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE \"" + schema + "\".events IN EXCLUSIVE MODE");
            }
            first = append("first");
            awaitUntil("the first append waits on the lock", () -> waitingOnTheLock("%") == 1);
            group = List.of(append("second"), append("third"), append("fourth"));
            awaitUntil("the other appends queue behind the first", () -> appending.stream().skip(1)
                    .allMatch(thread -> LockSupport.getBlocker(thread) instanceof GroupCommit));

            terminateWaitingBackend();
            assertThatThrownBy(() -> first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .cause().isInstanceOf(StorageException.class);
            awaitUntil("the queued appends wait on the lock as one statement",
                    () -> waitingOnTheLock("%unnest(%") == 1);
            terminateWaitingBackend();
            for (CompletableFuture<AppendOutcome> append : group) {
                assertThatThrownBy(() -> append.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                        .cause().isInstanceOf(StorageException.class)
                        .hasMessageContaining("either took effect entirely or not at all");
            }
            locker.rollback();
        }

        for (String stream : List.of("first", "second", "third", "fourth")) {
            assertThat(storage.streamVersion(stream)).as(stream).isZero();
        }
        assertThat(storage.append(request(event("after", 1))).stored()).hasSize(1);
    }

    @Test
    void a_statement_the_server_refuses_for_one_appends_data_fails_that_append_alone() {
        NewEvent notJson = new NewEvent(UUID.randomUUID(), "b", "t", "{not json", null, TestEvents.created(2));

        List<GroupCommit.Result> results = storage.appendGroup(List.of(
                request(event("a", 1)), request(notJson), request(event("c", 3))));

        assertThat(results.get(0).outcome().stored()).hasSize(1);
        assertThat(results.get(1).failure()).isInstanceOf(StorageException.class)
                .hasMessageContaining("nothing was written");
        assertThat(results.get(2).outcome().stored()).hasSize(1);
        assertThat(storage.streamVersion("b")).isZero();
    }

    /** Appends one event to {@code stream} on a thread of its own, recorded in {@link #appending}. */
    private CompletableFuture<AppendOutcome> append(String stream) {
        CompletableFuture<AppendOutcome> outcome = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon().start(() -> {
            try {
                outcome.complete(storage.append(request(event(stream, 1))));
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        });
        appending.add(thread);
        return outcome;
    }

    /** How many statements on this schema's events whose text is like {@code pattern} wait for a lock. */
    private long waitingOnTheLock(String pattern) {
        try {
            return SERVER.queryLong("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    + "AND query LIKE ? AND query LIKE ?", "%\"" + schema + "\".events%", pattern);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void terminateWaitingBackend() throws SQLException {
        assertThat(SERVER.queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE wait_event_type = 'Lock' AND query LIKE ?", "%\"" + schema + "\".events%"))
                .isEqualTo(1);
    }

    private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until " + what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
