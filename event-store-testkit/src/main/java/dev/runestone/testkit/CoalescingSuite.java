package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.activated;
import static dev.runestone.testkit.events.TestEvents.givenNameSet;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.runestone.ConcurrencyException;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.ExpectedVersion;
import dev.runestone.LogPage;
import dev.runestone.PendingEvent;
import dev.runestone.StorageException;
import dev.runestone.StoreClosedException;
import dev.runestone.registry.EventRegistry;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.testkit.ConcurrencySuite.Outcome;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.TestEvents;
import dev.runestone.testkit.events.UserCreated;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Many threads appending one event each at once, as adapters that coalesce concurrent appends into shared
 * transactions see them: every caller gets the outcome of its own append, as if it had appended alone. An append
 * that returned is stored once, with the version and position it was told; a conflict, a clashing id or an invalid
 * event fails its own append and no other; a reader following the log misses nothing; closing the store, or its
 * storage, while threads append leaves none of them waiting, and loses none of the appends that returned (checked by
 * opening the storage again when the fixture is a {@link ReopenableFixture}).
 *
 * <p>Each workload starts with one large append, so that the appends arriving while it is written queue up and
 * form groups in an adapter that coalesces. Which groups form is the adapter's business; the suite checks only
 * what each caller is told and what is stored, so it holds for an adapter that appends one by one as well.
 *
 * <p>Its stores use {@link TestEvents#registryWithEmailRule()}, so that an append can be refused by the registry's
 * validator while others are in flight.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class CoalescingSuite extends SuiteBase {

    static final int THREADS = 16;
    static final int APPENDS_EACH = 40;
    /** Events in the large append each workload starts with: far more than one group of single appends gathers. */
    static final int BULK_EVENTS = 5_000;
    static final String BULK_STREAM = "bulk";
    static final List<String> SHARED_STREAMS = List.of("shared-0", "shared-1", "shared-2", "shared-3");

    /**
     * One append of a writer: the stream and version it expected, and what it was told.
     *
     * @param stream   the stream appended to
     * @param expected the version expected
     * @param record   the event stored, if the append returned
     * @param failure  what the append threw, if it threw
     */
    record Attempt(String stream, long expected, @Nullable EventRecord<TestEvent> record,
            @Nullable Throwable failure) {
    }

    @Override
    EventRegistry<TestEvent> registry() {
        return TestEvents.registryWithEmailRule();
    }

    /** The large append each workload starts with, on its own stream. */
    static List<EventRecord<TestEvent>> bulkAppend(EventStore<TestEvent> target) {
        return target.append(BULK_STREAM, IntStream.range(0, BULK_EVENTS)
                .mapToObj(i -> givenNameSet("bulk " + i)).toList()).records();
    }

    /**
     * Runs the writers, each on a thread of its own, while the large append is written, and returns what each
     * returned; the writers and the large append must all succeed. Adds the large append's records to
     * {@code stored}.
     */
    static <T> List<T> alongsideTheBulkAppend(EventStore<TestEvent> target, List<Callable<T>> writers,
            List<EventRecord<TestEvent>> stored) throws Exception {
        CompletableFuture<List<EventRecord<TestEvent>>> bulk = CompletableFuture.supplyAsync(() -> bulkAppend(target));
        List<Outcome<T>> outcomes = ConcurrencySuite.race(writers);
        stored.addAll(bulk.get(PATIENCE.multipliedBy(6).toSeconds(), TimeUnit.SECONDS));
        List<T> results = new ArrayList<>();
        for (Outcome<T> outcome : outcomes) {
            if (outcome.failure() != null) {
                throw new AssertionError("A writer failed", outcome.failure());
            }
            results.add(outcome.result());
        }
        return results;
    }

    /** What {@code append} throws; it must throw. */
    static Throwable refusal(Runnable append) {
        Throwable thrown = catchThrowable(append::run);
        assertThat(thrown).as("the append was refused").isNotNull();
        return thrown;
    }

    /** Asserts that the store holds exactly {@code stored}, each once, as the log returns them. */
    void assertLogHoldsExactly(EventStore<TestEvent> target, Collection<EventRecord<TestEvent>> stored) {
        List<EventRecord<TestEvent>> log = log(target);
        assertThat(log).extracting(EventRecord::position).isSorted().doesNotHaveDuplicates();
        assertThat(log).containsExactlyInAnyOrderElementsOf(stored);
    }

    @Nested
    class Concurrent_appends {

        @Test
        void are_each_stored_once_with_the_version_and_position_they_were_told_and_one_wins_each_version()
                throws Exception {
            List<Callable<List<Attempt>>> writers = IntStream.range(0, THREADS)
                    .<Callable<List<Attempt>>>mapToObj(writer -> () -> {
                        List<Attempt> attempts = new ArrayList<>();
                        String own = "own-" + writer;
                        for (int i = 0; i < APPENDS_EACH; i++) {
                            String stream = i % 2 == 0 ? own : SHARED_STREAMS.get((writer + i / 2) % SHARED_STREAMS.size());
                            long expected = stream.equals(own) ? i / 2 : store.version(stream);
                            try {
                                EventRecord<TestEvent> record = store.append(stream,
                                        ExpectedVersion.exactly(expected), givenNameSet("w" + writer + "-" + i))
                                        .records().getFirst();
                                attempts.add(new Attempt(stream, expected, record, null));
                            } catch (ConcurrencyException e) {
                                attempts.add(new Attempt(stream, expected, null, e));
                            }
                        }
                        return attempts;
                    })
                    .toList();
            List<EventRecord<TestEvent>> stored = new ArrayList<>();

            List<Attempt> attempts = alongsideTheBulkAppend(store, writers, stored).stream()
                    .flatMap(List::stream).toList();

            Map<String, List<Long>> won = new HashMap<>();
            for (Attempt attempt : attempts) {
                if (attempt.record() != null) {
                    assertThat(attempt.record().stream()).isEqualTo(attempt.stream());
                    assertThat(attempt.record().version()).as("the version after the one expected")
                            .isEqualTo(attempt.expected() + 1);
                    won.computeIfAbsent(attempt.stream(), stream -> new ArrayList<>())
                            .add(attempt.record().version());
                    stored.add(attempt.record());
                }
            }
            for (Attempt attempt : attempts) {
                if (attempt.failure() != null) {
                    assertThat(attempt.stream()).as("only shared streams conflict").startsWith("shared-");
                    assertThat(((ConcurrencyException) attempt.failure()).actual())
                            .isGreaterThan(attempt.expected());
                    assertThat(won.get(attempt.stream())).as("an append to %s won version %d", attempt.stream(),
                            attempt.expected() + 1).contains(attempt.expected() + 1);
                }
            }
            for (int writer = 0; writer < THREADS; writer++) {
                assertThat(won.get("own-" + writer)).isEqualTo(ConcurrencySuite.oneTo(APPENDS_EACH / 2));
            }
            for (String shared : SHARED_STREAMS) {
                long version = store.version(shared);
                assertThat(won.get(shared)).as("winners of %s", shared)
                        .containsExactlyInAnyOrderElementsOf(ConcurrencySuite.oneTo(version));
            }
            assertLogHoldsExactly(store, stored);
        }

        @Test
        void refused_at_the_door_or_by_the_storage_fail_alone_with_the_exception_they_get_alone() throws Exception {
            PendingEvent<TestEvent> original = store.event("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            List<EventRecord<TestEvent>> stored = new ArrayList<>(store.append(List.of(original)).records());
            stored.addAll(store.append("quiet", activated()).records());
            PendingEvent<TestEvent> impostor = new PendingEvent<>(original.id(), "user-1", UserCreated.TYPE,
                    userCreated("Eve", "Doe", "eve@example.com"), original.created());
            List<Runnable> refused = List.of(
                    () -> store.append("s".repeat(513), activated()),
                    () -> store.append("user-2", userCreated("John", "Roe", "not an address")),
                    () -> store.append(List.of(impostor)),
                    () -> store.append("quiet", ExpectedVersion.exactly(5), activated()));
            List<Throwable> alone = refused.stream().map(CoalescingSuite::refusal).toList();
            List<Callable<List<EventRecord<TestEvent>>>> writers = IntStream.range(0, THREADS)
                    .<Callable<List<EventRecord<TestEvent>>>>mapToObj(writer -> () -> {
                        List<EventRecord<TestEvent>> written = new ArrayList<>();
                        for (int i = 0; i < APPENDS_EACH; i++) {
                            if (i % 4 == writer % 4) {
                                int kind = (writer + i) % refused.size();
                                assertThat(refusal(refused.get(kind))).as("refused append %d", kind)
                                        .isExactlyInstanceOf(alone.get(kind).getClass())
                                        .hasMessage(alone.get(kind).getMessage());
                            } else {
                                written.addAll(store.append("own-" + writer, givenNameSet("w" + writer + "-" + i))
                                        .records());
                            }
                        }
                        return written;
                    })
                    .toList();

            alongsideTheBulkAppend(store, writers, stored).forEach(stored::addAll);

            assertLogHoldsExactly(store, stored);
            assertThat(store.find(original.id())).get().extracting(EventRecord::event).isEqualTo(original.event());
        }

        @Test
        void followed_through_the_log_meanwhile_are_each_seen_once_in_position_order() throws Exception {
            int total = BULK_EVENTS + THREADS * APPENDS_EACH;
            List<Callable<List<EventRecord<TestEvent>>>> contenders = new ArrayList<>();
            for (int writer = 0; writer < THREADS; writer++) {
                String own = "own-" + writer;
                contenders.add(() -> {
                    List<EventRecord<TestEvent>> written = new ArrayList<>();
                    for (int i = 0; i < APPENDS_EACH; i++) {
                        written.addAll(store.append(own, givenNameSet("n" + i)).records());
                    }
                    return written;
                });
            }
            contenders.add(() -> {
                List<EventRecord<TestEvent>> followed = new ArrayList<>();
                long after = 0;
                long deadline = System.nanoTime() + PATIENCE.multipliedBy(6).toNanos();
                while (followed.size() < total && System.nanoTime() < deadline) {
                    LogPage<TestEvent> page = store.readLog(after, 100);
                    if (page.isEmpty()) {
                        Thread.sleep(1);
                        continue;
                    }
                    followed.addAll(page.events());
                    after = page.lastPosition();
                }
                return followed;
            });
            List<EventRecord<TestEvent>> stored = new ArrayList<>();

            List<List<EventRecord<TestEvent>>> results = alongsideTheBulkAppend(store, contenders, stored);

            results.subList(0, THREADS).forEach(stored::addAll);
            List<EventRecord<TestEvent>> followed = results.getLast();
            assertThat(followed).extracting(EventRecord::position).isSorted().doesNotHaveDuplicates();
            assertThat(followed).containsExactlyInAnyOrderElementsOf(stored);
            assertThat(followed).containsExactlyElementsOf(log(store));
        }
    }

    @Nested
    class Closing {

        /** How long an appending thread may take to end once the store or its storage is closed. */
        static final Duration ENDING = PATIENCE.multipliedBy(3);

        @Test
        void the_store_while_threads_append_leaves_none_waiting_and_loses_no_append_that_returned()
                throws Exception {
            closeWhileThreadsAppend((closing, storage) -> closing.close());
        }

        /**
         * Closing the storage itself while the store still lets appends through: they reach the adapter, and many
         * are waiting in it (for a group, or a connection) when it closes.
         */
        @Test
        void its_storage_while_threads_append_leaves_none_waiting_and_loses_no_append_that_returned()
                throws Exception {
            closeWhileThreadsAppend((closing, storage) -> storage.close());
        }

        /**
         * Starts the large append and the writers on a store of their own, calls {@code close} once appends are
         * returning, and checks that it returns within the close timeout, that every writer ends, refused as closed,
         * and, if the fixture can open the storage again, that every append that returned is stored.
         */
        void closeWhileThreadsAppend(BiConsumer<EventStore<TestEvent>, StorageAdapter> close) throws Exception {
            ReopenableFixture.@Nullable Database database =
                    fixture() instanceof ReopenableFixture reopenable ? reopenable.createDatabase() : null;
            StorageAdapter storage = database == null ? fixture().open() : database.open();
            EventStore<TestEvent> closing = openStore(storage, CoalescingSuite.this::configure);
            CountDownLatch appended = new CountDownLatch(THREADS * 10);
            ExecutorService threads = Executors.newFixedThreadPool(THREADS + 1);
            try {
                Future<List<EventRecord<TestEvent>>> bulk = threads.submit(() -> bulkAppend(closing));
                List<List<EventRecord<TestEvent>>> returned = new ArrayList<>();
                List<Future<Throwable>> endings = new ArrayList<>();
                for (int writer = 0; writer < THREADS; writer++) {
                    String own = "own-" + writer;
                    List<EventRecord<TestEvent>> records = new ArrayList<>();
                    returned.add(records);
                    endings.add(threads.submit(() -> {
                        try {
                            for (int i = 0; ; i++) {
                                records.addAll(closing.append(own, givenNameSet("n" + i)).records());
                                appended.countDown();
                            }
                        } catch (RuntimeException e) {
                            return e;
                        }
                    }));
                }
                assertThat(appended.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("appends ran").isTrue();

                CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> close.accept(closing, storage));

                closed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS); // the close timeout openStore gives each store
                List<EventRecord<TestEvent>> stored = new ArrayList<>();
                for (int writer = 0; writer < THREADS; writer++) {
                    assertThat(endings.get(writer).get(ENDING.toSeconds(), TimeUnit.SECONDS))
                            .as("how writer %d ended", writer)
                            .isInstanceOfAny(StoreClosedException.class, StorageException.class);
                    stored.addAll(returned.get(writer));
                }
                try {
                    stored.addAll(bulk.get(ENDING.toSeconds(), TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).as("how the large append ended")
                            .isInstanceOfAny(StoreClosedException.class, StorageException.class);
                }
                if (database != null) {
                    List<EventRecord<TestEvent>> kept =
                            log(openStore(database.open(), CoalescingSuite.this::configure));
                    assertThat(kept).extracting(EventRecord::id).doesNotHaveDuplicates();
                    assertThat(kept).as("every append that returned, as it was told").containsAll(stored);
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }
}
