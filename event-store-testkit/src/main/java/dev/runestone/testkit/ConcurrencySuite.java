package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.emailSet;
import static dev.runestone.testkit.events.TestEvents.givenNameSet;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.AppendResult;
import dev.runestone.ConcurrencyException;
import dev.runestone.EventRecord;
import dev.runestone.LogPage;
import dev.runestone.ExpectedVersion;
import dev.runestone.ReadOptions;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserEmailSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Many threads on one store: optimistic concurrency lets exactly one of two racing writers win, parallel appends
 * keep every stream's versions contiguous and every position unique, and readers never see half an append. Asserts
 * what was kept and what was refused, not merely that nothing threw.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ConcurrencySuite extends SuiteBase {

    /** How often each race is run, so that a lucky interleaving cannot hide a lost update. */
    static final int ROUNDS = 20;

    /**
     * What one contender of a race ended with: a result or a failure.
     *
     * @param result  what it returned, if it returned
     * @param failure what it threw, if it threw
     */
    record Outcome<T>(@Nullable T result, @Nullable Throwable failure) {

        boolean won() {
            return failure == null;
        }

        boolean lostTheRace() {
            return failure instanceof ConcurrencyException;
        }
    }

    /**
     * How long a contender may take: generous, since a loaded machine (or a server shared with other work) slows
     * thousands of committed appends down a lot; it only stops a hung test.
     */
    private static final Duration FINISH = Duration.ofMinutes(2);

    /** Runs the contenders on their own threads, released together by a barrier, and collects how each ended. */
    static <T> List<Outcome<T>> race(List<Callable<T>> contenders) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(contenders.size());
        ExecutorService threads = Executors.newFixedThreadPool(contenders.size());
        try {
            List<Future<T>> running = new ArrayList<>();
            for (Callable<T> contender : contenders) {
                running.add(threads.submit(() -> {
                    start.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    return contender.call();
                }));
            }
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<T> future : running) {
                try {
                    outcomes.add(new Outcome<>(future.get(FINISH.toSeconds(), TimeUnit.SECONDS), null));
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome<>(null, e.getCause()));
                } catch (TimeoutException e) {
                    throw new AssertionError("A contender did not finish within " + FINISH, e);
                }
            }
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }

    /** Appends at the stream's current version, reading it again after each conflict; returns the conflicts met. */
    int appendRetrying(String stream, TestEvent event) {
        for (int conflicts = 0; conflicts < 1_000; conflicts++) {
            try {
                store.append(stream, ExpectedVersion.exactly(store.version(stream)), event);
                return conflicts;
            } catch (ConcurrencyException e) {
                // Another writer got there first: read the version again and retry.
            }
        }
        throw new AssertionError("An append to " + stream + " still conflicted after 1000 attempts");
    }

    static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    @Nested
    class Racing_writers {

        @Test
        void with_the_same_expected_version_exactly_one_wins_and_the_other_writes_nothing() throws Exception {
            for (int round = 0; round < ROUNDS; round++) {
                String stream = "race-" + round;
                store.append(stream, userCreated("Jane", "Doe", "jane@example.com"));

                List<Outcome<AppendResult<TestEvent>>> outcomes = race(List.of(
                        () -> store.append(stream, ExpectedVersion.exactly(1), emailSet("first@example.com")),
                        () -> store.append(stream, ExpectedVersion.exactly(1), emailSet("second@example.com"))));

                assertThat(outcomes).as("round %d", round).filteredOn(Outcome::won).hasSize(1);
                assertThat(outcomes).as("round %d", round).filteredOn(Outcome::lostTheRace).hasSize(1);
                EventRecord<TestEvent> winner = outcomes.stream().filter(Outcome::won).findFirst().orElseThrow()
                        .result().records().getFirst();
                assertThat(store.read(stream)).as("round %d", round).hasSize(2).last().isEqualTo(winner);
            }
        }

        @Test
        void creating_the_same_stream_lets_exactly_one_win() throws Exception {
            for (int round = 0; round < ROUNDS; round++) {
                String stream = "new-" + round;

                List<Outcome<AppendResult<TestEvent>>> outcomes = race(List.of(
                        () -> store.append(stream, ExpectedVersion.noStream(),
                                userCreated("Jane", "Doe", "jane@example.com")),
                        () -> store.append(stream, ExpectedVersion.noStream(),
                                userCreated("John", "Roe", "john@example.com"))));

                assertThat(outcomes).as("round %d", round).filteredOn(Outcome::won).hasSize(1);
                assertThat(outcomes).as("round %d", round).filteredOn(Outcome::lostTheRace).hasSize(1);
                assertThat(store.version(stream)).isEqualTo(1);
            }
        }

        @Test
        void saving_one_aggregate_twice_lets_exactly_one_save_win() throws Exception {
            for (int round = 0; round < ROUNDS; round++) {
                String stream = "user-" + round;
                TestUser created = store.create(TestUser.REDUCER, stream);
                created.create("Jane", "Doe", "jane@example.com");
                created.save();
                TestUser first = store.reduce(TestUser.REDUCER, stream).orElseThrow();
                TestUser second = store.reduce(TestUser.REDUCER, stream).orElseThrow();
                first.changeEmail("first@example.com");
                second.changeEmail("second@example.com");
                second.activate();

                List<Outcome<AppendResult<TestEvent>>> outcomes = race(List.of(first::save, second::save));

                assertThat(outcomes).as("round %d", round).filteredOn(Outcome::won).hasSize(1);
                assertThat(outcomes).as("round %d", round).filteredOn(Outcome::lostTheRace).hasSize(1);
                TestUser loser = outcomes.getFirst().won() ? second : first;
                TestUser winner = loser == first ? second : first;
                assertThat(loser.isDirty()).isTrue();
                assertThat(store.version(stream)).isEqualTo(winner.version());
                assertThat(store.reduce(TestUser.REDUCER, stream).orElseThrow().email()).isEqualTo(winner.email());
            }
        }
    }

    @Nested
    class Parallel_appends {

        @Test
        void from_8_threads_to_their_own_streams_are_all_stored_with_contiguous_versions() throws Exception {
            int threads = 8;
            int appendsEach = 1_000;
            List<Callable<List<Long>>> writers = IntStream.range(0, threads)
                    .<Callable<List<Long>>>mapToObj(writer -> () -> {
                        List<Long> versions = new ArrayList<>(appendsEach);
                        for (int i = 0; i < appendsEach; i++) {
                            versions.add(store.append("writer-" + writer, givenNameSet("name " + i)).records()
                                    .getFirst().version());
                        }
                        return versions;
                    })
                    .toList();

            List<Outcome<List<Long>>> outcomes = race(writers);

            assertThat(outcomes).allSatisfy(outcome -> {
                assertThat(outcome.failure()).isNull();
                assertThat(outcome.result()).isEqualTo(oneTo(appendsEach));
            });
            List<EventRecord<TestEvent>> log = log(store);
            assertThat(log).hasSize(threads * appendsEach);
            assertThat(log).extracting(EventRecord::position).doesNotHaveDuplicates().isSorted();
            assertThat(log).extracting(EventRecord::id).doesNotHaveDuplicates();
            for (int writer = 0; writer < threads; writer++) {
                assertThat(store.read("writer-" + writer)).extracting(EventRecord::version)
                        .as("versions of writer-%d", writer).isEqualTo(oneTo(appendsEach));
            }
        }

        @Test
        void to_one_stream_at_any_version_get_versions_without_holes_or_duplicates() throws Exception {
            int threads = 8;
            int appendsEach = 100;
            List<Callable<List<Long>>> writers = IntStream.range(0, threads)
                    .<Callable<List<Long>>>mapToObj(writer -> () -> {
                        List<Long> versions = new ArrayList<>(appendsEach);
                        for (int i = 0; i < appendsEach; i++) {
                            versions.add(store.append("shared", ExpectedVersion.any(), givenNameSet("w" + writer))
                                    .records().getFirst().version());
                        }
                        return versions;
                    })
                    .toList();

            List<Outcome<List<Long>>> outcomes = race(writers);

            List<Long> granted = new ArrayList<>();
            for (Outcome<List<Long>> outcome : outcomes) {
                assertThat(outcome.failure()).isNull();
                assertThat(outcome.result()).as("each writer sees its versions rise").isSorted();
                granted.addAll(outcome.result());
            }
            assertThat(granted).containsExactlyInAnyOrderElementsOf(oneTo(threads * appendsEach));
            assertThat(store.version("shared")).isEqualTo(threads * appendsEach);
            List<EventRecord<TestEvent>> stored = log(store);
            assertThat(stored).extracting(EventRecord::version).isEqualTo(oneTo(threads * appendsEach));
        }

        @Test
        void with_expected_versions_retried_on_conflict_lose_no_update() throws Exception {
            int threads = 4;
            int updatesEach = 25;
            store.append("counter", userCreated("Jane", "Doe", "jane@example.com"));
            List<Callable<Integer>> writers = IntStream.range(0, threads)
                    .<Callable<Integer>>mapToObj(writer -> () -> {
                        int conflicts = 0;
                        for (int i = 0; i < updatesEach; i++) {
                            conflicts += appendRetrying("counter", emailSet("w" + writer + "-" + i + "@example.com"));
                        }
                        return conflicts;
                    })
                    .toList();

            List<Outcome<Integer>> outcomes = race(writers);

            assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.failure()).isNull());
            assertThat(store.read("counter", ReadOptions.defaults().types(UserEmailSet.class)))
                    .hasSize(threads * updatesEach);
            assertThat(store.read("counter")).extracting(EventRecord::version)
                    .isEqualTo(oneTo(1 + threads * updatesEach));
        }
    }

    @Nested
    class Readers_during_appends {

        @Test
        void never_see_half_of_an_append() throws Exception {
            int writers = 4;
            int batchesEach = 50;
            CountDownLatch writersLeft = new CountDownLatch(writers);
            List<Callable<Integer>> contenders = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                contenders.add(() -> {
                    try {
                        for (int i = 0; i < batchesEach; i++) {
                            store.batch().add("ledger-a", givenNameSet("a" + i)).add("ledger-b", givenNameSet("b" + i))
                                    .commit();
                        }
                        return batchesEach;
                    } finally {
                        writersLeft.countDown();
                    }
                });
            }
            List<String> torn = new CopyOnWriteArrayList<>();
            contenders.add(() -> {
                int reads = 0;
                do {
                    List<EventRecord<TestEvent>> seen = store.readStreams(List.of("ledger-a", "ledger-b"),
                            ReadOptions.defaults());
                    long a = seen.stream().filter(record -> record.stream().equals("ledger-a")).count();
                    if (a * 2 != seen.size()) {
                        torn.add("a read saw " + a + " events of ledger-a among " + seen.size());
                    }
                    reads++;
                } while (writersLeft.getCount() > 0);
                return reads;
            });

            List<Outcome<Integer>> outcomes = race(contenders);

            assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.failure()).isNull());
            assertThat(torn).isEmpty();
            assertThat(store.version("ledger-a")).isEqualTo(writers * batchesEach);
            assertThat(store.version("ledger-b")).isEqualTo(writers * batchesEach);
        }

        @Test
        void following_the_log_see_every_event_once_in_position_order() throws Exception {
            int writers = 4;
            int appendsEach = 200;
            int total = writers * appendsEach;
            List<Callable<List<EventRecord<TestEvent>>>> contenders = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                int id = writer;
                contenders.add(() -> {
                    List<EventRecord<TestEvent>> written = new ArrayList<>();
                    for (int i = 0; i < appendsEach; i++) {
                        written.addAll(store.append("writer-" + id, givenNameSet("n" + i)).records());
                    }
                    return written;
                });
            }
            contenders.add(() -> {
                List<EventRecord<TestEvent>> followed = new ArrayList<>();
                long after = 0;
                long deadline = System.nanoTime() + FINISH.toNanos();
                while (followed.size() < total && System.nanoTime() < deadline) {
                    LogPage<TestEvent> page = store.readLog(after, 64);
                    if (page.isEmpty()) {
                        Thread.sleep(1);
                        continue;
                    }
                    followed.addAll(page.events());
                    after = page.lastPosition();
                }
                return followed;
            });

            List<Outcome<List<EventRecord<TestEvent>>>> outcomes = race(contenders);

            Set<UUID> written = new HashSet<>();
            for (Outcome<List<EventRecord<TestEvent>>> outcome : outcomes.subList(0, writers)) {
                assertThat(outcome.failure()).isNull();
                outcome.result().forEach(record -> written.add(record.id()));
            }
            List<EventRecord<TestEvent>> followed = outcomes.getLast().result();
            assertThat(followed).extracting(EventRecord::position).isSorted().doesNotHaveDuplicates();
            assertThat(followed).extracting(EventRecord::id).containsExactlyInAnyOrderElementsOf(written);
        }
    }
}
