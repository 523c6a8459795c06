package dev.runestone.spi;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.ConcurrencyException;
import dev.runestone.ExpectedVersion;
import dev.runestone.StoreClosedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Group commit step by step: a writer that holds each group until the test lets it go makes later appends queue up,
 * and each caller runs on a thread of its own, so the test decides who arrives while what is being written.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupCommitTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Instant RECORDED = Instant.parse("2026-11-26T05:36:00Z");
    private static final int MAX_EVENTS = 5;

    /** An append to this stream fails alone, as one whose expected version broke. */
    private static final String CONFLICTING = "conflicting";
    private static final ConcurrencyException CONFLICT =
            new ConcurrencyException(CONFLICTING, ExpectedVersion.noStream(), 1);

    /** An append to this stream makes the writer throw for its whole group, as a lost connection would. */
    private static final String BREAKING = "breaking";
    private static final IllegalStateException GROUP_FAILURE = new IllegalStateException("the connection broke");

    private final HoldingWriter writer = new HoldingWriter();
    private final TestWaits clock = new TestWaits();
    private final GroupCommit commit =
            new GroupCommit(writer, MAX_EVENTS, () -> new StoreClosedException("the store is closed"), clock);
    private final List<Caller> callers = new CopyOnWriteArrayList<>();

    /**
     * One group the writer was given: the appends, in the order it got them, and the thread that wrote them. The
     * writer holds it until {@link #release()}.
     */
    record Group(List<AppendRequest> requests, Thread thread, boolean interrupted, CountDownLatch released) {

        void release() {
            released.countDown();
        }
    }

    /**
     * Records each group and holds it until the test releases it, or until {@link #stopHolding()}; then reports each
     * append as written, but an append to {@link #CONFLICTING} as failed and a group holding one to
     * {@link #BREAKING} by throwing.
     */
    static final class HoldingWriter implements GroupCommit.Writer {

        final List<Group> groups = new CopyOnWriteArrayList<>();
        private final BlockingQueue<Group> started = new LinkedBlockingQueue<>();
        private final AtomicLong positions = new AtomicLong();
        private volatile boolean holding = true;

        @Override
        public List<GroupCommit.Result> write(List<AppendRequest> group) {
            Group written = new Group(List.copyOf(group), Thread.currentThread(),
                    Thread.currentThread().isInterrupted(), new CountDownLatch(1));
            groups.add(written);
            started.add(written);
            // Added before looking at the flag, so that stopHolding() either finds this group or is seen here.
            if (holding) {
                awaitUninterruptibly(written.released());
            }
            List<GroupCommit.Result> results = new ArrayList<>();
            for (AppendRequest request : group) {
                String stream = request.events().getFirst().stream();
                if (stream.equals(BREAKING)) {
                    throw GROUP_FAILURE;
                }
                results.add(stream.equals(CONFLICTING) ? GroupCommit.Result.failed(CONFLICT)
                        : GroupCommit.Result.appended(stored(request)));
            }
            return results;
        }

        /** The next group the writer started on, waiting for it if need be. */
        Group awaitGroup() throws InterruptedException {
            Group next = started.poll(PATIENCE.toSeconds(), SECONDS);
            assertThat(next).as("a group was written within " + PATIENCE).isNotNull();
            return next;
        }

        /** Writes every group at once from now on, those held included. */
        void stopHolding() {
            holding = false;
            groups.forEach(Group::release);
        }

        private AppendOutcome stored(AppendRequest request) {
            List<StoredEvent> stored = new ArrayList<>();
            for (NewEvent event : request.events()) {
                stored.add(new StoredEvent(event.id(), event.stream(), event.type(), event.data(), event.meta(),
                        event.created(), request.recorded(), 1, positions.incrementAndGet()));
            }
            return new AppendOutcome(stored, List.of());
        }

        private static void awaitUninterruptibly(CountDownLatch latch) {
            boolean interrupted = false;
            while (true) {
                try {
                    latch.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The system's clock and timed parking until a test freezes the clock. Frozen, the clock moves only when the test
     * moves it, and a thread parked for a while stays parked until it is woken or the test moves the clock, so that a
     * wait ends by a timeout only when the test says.
     */
    static final class TestWaits implements GroupCommit.Waits {

        final AtomicInteger parks = new AtomicInteger();
        private final AtomicLong frozenNanos = new AtomicLong();
        private final Set<Thread> parked = ConcurrentHashMap.newKeySet();
        /** The time each thread last read, so that a park after the clock moved returns at once. */
        private final ThreadLocal<Long> lastRead = new ThreadLocal<>();
        private volatile boolean frozen;

        @Override
        public long nanoTime() {
            if (!frozen) {
                return System.nanoTime();
            }
            long now = frozenNanos.get();
            lastRead.set(now);
            return now;
        }

        @Override
        public void parkNanos(Object blocker, long nanos) {
            if (!frozen) {
                LockSupport.parkNanos(blocker, nanos);
                return;
            }
            parks.incrementAndGet();
            parked.add(Thread.currentThread());
            try {
                // Moved between the caller's look at the clock and now: advance() may have missed this thread.
                if (!Long.valueOf(frozenNanos.get()).equals(lastRead.get())) {
                    return;
                }
                LockSupport.park(blocker);
            } finally {
                parked.remove(Thread.currentThread());
            }
        }

        void freeze() {
            frozenNanos.set(System.nanoTime());
            frozen = true;
        }

        /** Moves the clock on and wakes the threads parked for a while, as time passing would. */
        void advance(Duration by) {
            frozenNanos.addAndGet(by.toNanos());
            parked.forEach(LockSupport::unpark);
        }
    }

    /** One append made on a thread of its own, and how it ended. */
    final class Caller {

        final AppendRequest request;
        final Thread thread;
        private final CompletableFuture<AppendOutcome> ended = new CompletableFuture<>();
        private volatile boolean interruptedOnReturn;

        Caller(String stream, int events) {
            this.request = request(stream, events);
            this.thread = Thread.ofPlatform().name("append-" + stream).daemon().unstarted(() -> {
                try {
                    AppendOutcome outcome = commit.append(request);
                    interruptedOnReturn = Thread.currentThread().isInterrupted();
                    ended.complete(outcome);
                } catch (Throwable e) {
                    interruptedOnReturn = Thread.currentThread().isInterrupted();
                    ended.completeExceptionally(e);
                }
            });
            callers.add(this);
            thread.start();
        }

        AppendOutcome outcome() throws Exception {
            return ended.get(PATIENCE.toSeconds(), SECONDS);
        }

        Throwable failure() throws InterruptedException, TimeoutException {
            try {
                ended.get(PATIENCE.toSeconds(), SECONDS);
            } catch (ExecutionException e) {
                return e.getCause();
            }
            throw new AssertionError(thread.getName() + " returned; it was expected to fail");
        }

        boolean ended() {
            return ended.isDone();
        }

        /** Asserts that this caller got the outcome of its own append. */
        void assertWritten() throws Exception {
            assertThat(outcome().stored()).extracting(StoredEvent::id)
                    .as("the outcome %s got", thread.getName())
                    .containsExactlyElementsOf(request.events().stream().map(NewEvent::id).toList());
        }

        /**
         * Waits until this caller's append is queued: its thread parks in {@link GroupCommit#append} only after it
         * joined the queue.
         */
        Caller queued() {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (LockSupport.getBlocker(thread) != commit) {
                assertThat(ended()).as(thread.getName() + " is waiting, not done").isFalse();
                assertThat(System.nanoTime()).as(thread.getName() + " queued within " + PATIENCE)
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
            return this;
        }
    }

    @AfterEach
    void endEveryCaller() throws InterruptedException {
        writer.stopHolding();
        commit.close();
        for (Caller caller : callers) {
            caller.thread.join(PATIENCE.toMillis());
        }
    }

    static AppendRequest request(String stream, int events) {
        List<NewEvent> made = IntStream.range(0, events)
                .mapToObj(i -> new NewEvent(UUID.randomUUID(), stream, "t", null, null, "created-" + i))
                .toList();
        return new AppendRequest(made, Map.of(), RECORDED);
    }

    /** Starts an append of {@code events} events to {@code stream} on a thread of its own. */
    Caller append(String stream, int events) {
        return new Caller(stream, events);
    }

    /** Starts an append while a group is being written and waits until it is queued. */
    Caller queue(String stream, int events) {
        return append(stream, events).queued();
    }

    /** What an append to {@code commit} throws, made on another thread so that a hang fails the test. */
    static Throwable failureOf(GroupCommit commit, AppendRequest request) throws Exception {
        try {
            CompletableFuture.supplyAsync(() -> commit.append(request)).get(PATIENCE.toSeconds(), SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("The append returned; it was expected to fail");
    }

    @Test
    void refuses_a_group_size_below_one_event() {
        assertThatThrownBy(() -> new GroupCommit(writer, 0, () -> new StoreClosedException("closed")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxEvents");
    }

    @Nested
    class Forming_groups {

        @Test
        void a_lone_append_is_written_at_once_alone_on_its_callers_thread() throws Exception {
            Caller lone = append("a", 1);

            Group group = writer.awaitGroup();
            group.release();

            assertThat(group.requests()).containsExactly(lone.request);
            assertThat(group.thread()).isSameAs(lone.thread);
            lone.assertWritten();
        }

        @Test
        void appends_queued_while_a_group_is_written_go_together_as_the_next_group_in_arrival_order()
                throws Exception {
            Caller first = append("a", 1);
            Group writing = writer.awaitGroup();
            Caller b = queue("b", 1);
            Caller c = queue("c", 2);
            Caller d = queue("d", 1);

            writing.release();
            Group next = writer.awaitGroup();
            next.release();

            assertThat(next.requests()).containsExactly(b.request, c.request, d.request);
            assertThat(next.thread()).as("the oldest queued append writes the group").isSameAs(b.thread);
            for (Caller caller : List.of(first, b, c, d)) {
                caller.assertWritten();
            }
        }

        @Test
        void once_the_queue_is_empty_the_next_append_writes_its_own_group_at_once() throws Exception {
            Caller first = append("a", 1);
            Group writing = writer.awaitGroup();
            Caller queued = queue("b", 1);
            writing.release();
            writer.awaitGroup().release();
            queued.assertWritten();
            first.assertWritten();

            Caller later = append("c", 1);
            Group group = writer.awaitGroup();
            group.release();

            assertThat(group.requests()).containsExactly(later.request);
            assertThat(group.thread()).isSameAs(later.thread);
            later.assertWritten();
            first.assertWritten();
        }

        @Test
        void stop_growing_before_max_events_and_an_oversized_append_goes_alone() throws Exception {
            Caller first = append("a", 1);
            Group writing = writer.awaitGroup();
            Caller b = queue("b", 2);
            Caller c = queue("c", 3);
            Caller d = queue("d", 2);
            Caller oversized = queue("e", MAX_EVENTS + 3);
            Caller f = queue("f", 1);
            Caller g = queue("g", 1);

            writing.release();
            writer.stopHolding();
            for (Caller caller : List.of(first, b, c, d, oversized, f, g)) {
                caller.assertWritten();
            }

            assertThat(writer.groups).extracting(Group::requests).containsExactly(
                    List.of(first.request),
                    List.of(b.request, c.request),
                    List.of(d.request),
                    List.of(oversized.request),
                    List.of(f.request, g.request));
        }
    }

    /**
     * The next group waits for as many appends as the last one held. The clock is frozen, so the waits end only when
     * the group fills up, when the store closes, or when the test moves the clock past their deadline.
     */
    @Nested
    class Gathering_the_next_group {

        /** Writes a group of three appends whose writing took {@code took} on the clock, and returns them. */
        List<Caller> groupOfThreeTaking(Duration took) throws Exception {
            clock.freeze();
            Caller first = append("a", 1);
            Group writing = writer.awaitGroup();
            List<Caller> three = List.of(queue("b", 1), queue("c", 1), queue("d", 1));
            writing.release();
            Group group = writer.awaitGroup();
            clock.advance(took);
            group.release();
            first.assertWritten();
            for (Caller caller : three) {
                caller.assertWritten();
            }
            assertThat(group.requests()).hasSize(3);
            return three;
        }

        @Test
        void after_a_group_of_three_the_next_append_waits_until_three_are_queued_and_they_go_together()
                throws Exception {
            groupOfThreeTaking(Duration.ofMillis(5));

            Caller e = append("e", 1).queued();
            Caller f = queue("f", 1);
            assertThat(writer.groups).as("no group taken before it filled up").hasSize(2);
            Caller g = append("g", 1);
            Group next = writer.awaitGroup();
            next.release();

            assertThat(next.requests()).containsExactly(e.request, f.request, g.request);
            assertThat(next.thread()).as("the first append of the group writes it").isSameAs(e.thread);
            for (Caller caller : List.of(e, f, g)) {
                caller.assertWritten();
            }
        }

        @Test
        void after_a_group_of_three_that_failed_the_next_append_waits_until_three_are_queued_too() throws Exception {
            clock.freeze();
            Caller first = append("a", 1);
            Group writing = writer.awaitGroup();
            List<Caller> three = List.of(queue("b", 1), queue(BREAKING, 1), queue("d", 1));
            writing.release();
            Group failing = writer.awaitGroup();
            clock.advance(Duration.ofMillis(5));
            failing.release();
            first.assertWritten();
            for (Caller caller : three) {
                assertThat(caller.failure()).isSameAs(GROUP_FAILURE);
            }

            Caller e = append("e", 1).queued();
            Caller f = queue("f", 1);
            Caller g = append("g", 1);
            Group next = writer.awaitGroup();
            next.release();

            assertThat(next.requests()).containsExactly(e.request, f.request, g.request);
        }

        @Test
        void waits_no_longer_than_the_last_group_took_to_write() throws Exception {
            groupOfThreeTaking(Duration.ofNanos(300_000));

            Caller e = append("e", 1).queued();
            clock.advance(Duration.ofNanos(300_000));
            Group alone = writer.awaitGroup();
            alone.release();

            assertThat(alone.requests()).containsExactly(e.request);
            e.assertWritten();
        }

        @Test
        void waits_at_most_a_millisecond_however_long_the_last_group_took() throws Exception {
            groupOfThreeTaking(Duration.ofSeconds(5));

            Caller e = append("e", 1).queued();
            clock.advance(Duration.ofMillis(1));
            Group alone = writer.awaitGroup();
            alone.release();

            assertThat(alone.requests()).containsExactly(e.request);
            e.assertWritten();
        }

        @Test
        void after_a_group_of_one_the_next_append_is_written_at_once() throws Exception {
            groupOfThreeTaking(Duration.ofMillis(5));
            Caller e = append("e", 1).queued();
            clock.advance(Duration.ofMillis(1));
            Group alone = writer.awaitGroup();
            clock.advance(Duration.ofMillis(5));
            alone.release();
            e.assertWritten();

            Caller lone = append("f", 1);
            Group group = writer.awaitGroup();
            group.release();

            assertThat(group.requests()).containsExactly(lone.request);
            lone.assertWritten();
        }

        @Test
        void an_append_to_a_store_idle_for_longer_than_the_last_group_took_to_write_is_written_at_once()
                throws Exception {
            groupOfThreeTaking(Duration.ofMillis(5));
            clock.advance(Duration.ofMillis(5));

            Caller lone = append("e", 1);
            Group group = writer.awaitGroup();
            group.release();

            assertThat(group.requests()).containsExactly(lone.request);
            lone.assertWritten();
        }

        @Test
        void an_append_as_large_as_a_group_does_not_wait_for_others() throws Exception {
            groupOfThreeTaking(Duration.ofMillis(5));

            Caller large = append("e", MAX_EVENTS);
            Group group = writer.awaitGroup();
            group.release();

            assertThat(group.requests()).containsExactly(large.request);
            large.assertWritten();
        }

        @Test
        void closing_ends_the_wait_and_refuses_the_waiting_appends() throws Exception {
            groupOfThreeTaking(Duration.ofMillis(5));
            Caller e = append("e", 1).queued();
            Caller f = queue("f", 1);

            commit.close();

            assertThat(e.failure()).isInstanceOf(StoreClosedException.class);
            assertThat(f.failure()).isInstanceOf(StoreClosedException.class);
            assertThat(writer.groups).hasSize(2);
        }

        @Test
        void an_interrupt_does_not_end_the_wait_nor_reach_the_writing_and_is_set_again_on_return() throws Exception {
            groupOfThreeTaking(Duration.ofMillis(5));
            Caller e = append("e", 1).queued();

            e.thread.interrupt();
            Caller f = queue("f", 1);
            assertThat(writer.groups).as("the interrupted append still waits for its group").hasSize(2);
            Caller g = append("g", 1);
            Group next = writer.awaitGroup();
            next.release();

            assertThat(next.requests()).containsExactly(e.request, f.request, g.request);
            assertThat(next.interrupted()).isFalse();
            e.assertWritten();
            assertThat(e.interruptedOnReturn).isTrue();
            assertThat(clock.parks.get()).as("parked again after the interrupt, not spinning").isLessThan(10);
        }
    }

    @Nested
    class Failures {

        @Test
        void a_failure_reported_for_one_append_reaches_its_caller_alone() throws Exception {
            Caller first = append("a", 1);
            Group writing = writer.awaitGroup();
            Caller before = queue("b", 1);
            Caller conflicting = queue(CONFLICTING, 1);
            Caller after = queue("c", 1);

            writing.release();
            writer.awaitGroup().release();

            assertThat(conflicting.failure()).isSameAs(CONFLICT);
            for (Caller caller : List.of(first, before, after)) {
                caller.assertWritten();
            }
            assertThat(writer.groups).hasSize(2);
        }

        @Test
        void a_writer_that_throws_fails_every_caller_of_its_group_and_the_next_group_still_runs() throws Exception {
            Caller first = append("a", 1);
            Group writing = writer.awaitGroup();
            Caller innocent = queue("b", 1);
            Caller breaking = queue(BREAKING, 1);
            writing.release();
            Group failing = writer.awaitGroup();
            Caller next = queue("c", 1);

            failing.release();
            Group after = writer.awaitGroup();
            after.release();

            assertThat(failing.requests()).containsExactly(innocent.request, breaking.request);
            assertThat(innocent.failure()).isSameAs(GROUP_FAILURE);
            assertThat(breaking.failure()).isSameAs(GROUP_FAILURE);
            assertThat(after.requests()).containsExactly(next.request);
            first.assertWritten();
            next.assertWritten();
        }

        @Test
        void an_error_thrown_by_the_writer_reaches_the_writing_caller_as_it_is_and_the_next_append_still_runs()
                throws Exception {
            StackOverflowError error = new StackOverflowError("deep");
            GroupCommit failing = new GroupCommit(group -> {
                throw error;
            }, MAX_EVENTS, () -> new StoreClosedException("closed"));

            assertThat(failureOf(failing, request("a", 1))).isSameAs(error);
            assertThat(failureOf(failing, request("b", 1))).isSameAs(error);
        }

        @Test
        void an_error_thrown_by_the_writer_reaches_the_other_callers_of_the_group_wrapped() throws Exception {
            StackOverflowError error = new StackOverflowError("deep");
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch queued = new CountDownLatch(1);
            GroupCommit failing = new GroupCommit(group -> {
                if (group.getFirst().events().getFirst().stream().equals("a")) {
                    writing.countDown();
                    HoldingWriter.awaitUninterruptibly(queued);
                    return List.of(GroupCommit.Result.appended(new AppendOutcome(List.of(), List.of())));
                }
                throw error;
            }, MAX_EVENTS, () -> new StoreClosedException("closed"));
            CompletableFuture<AppendOutcome> first = CompletableFuture.supplyAsync(
                    () -> failing.append(request("a", 1)));
            writing.await();
            List<CompletableFuture<Throwable>> others = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (String stream : List.of("b", "c")) {
                CompletableFuture<Throwable> failure = new CompletableFuture<>();
                others.add(failure);
                threads.add(Thread.ofPlatform().daemon().start(
                        () -> failure.complete(catchThrowable(() -> failing.append(request(stream, 1))))));
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!threads.stream().allMatch(thread -> LockSupport.getBlocker(thread) == failing)) {
                assertThat(System.nanoTime()).as("both appends queued").isLessThan(deadline);
                Thread.onSpinWait();
            }
            queued.countDown();

            first.get(PATIENCE.toSeconds(), SECONDS);
            List<Throwable> failures = new ArrayList<>();
            for (CompletableFuture<Throwable> failure : others) {
                failures.add(failure.get(PATIENCE.toSeconds(), SECONDS));
            }
            assertThat(failures).filteredOn(failure -> failure == error).hasSize(1);
            assertThat(failures).filteredOn(failure -> failure instanceof IllegalStateException)
                    .singleElement().satisfies(failure -> assertThat(failure).hasCause(error));
        }

        @Test
        void a_writer_that_returns_too_few_results_fails_the_group_as_an_adapter_bug() throws Exception {
            GroupCommit broken = new GroupCommit(group -> List.of(), MAX_EVENTS,
                    () -> new StoreClosedException("closed"));

            assertThat(failureOf(broken, request("a", 1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bug in the storage adapter");
        }

        @Test
        void a_writer_that_returns_a_null_result_fails_the_group_and_the_next_append_still_runs() throws Exception {
            GroupCommit broken = new GroupCommit(group -> Arrays.asList((GroupCommit.Result) null),
                    MAX_EVENTS, () -> new StoreClosedException("closed"));

            assertThat(failureOf(broken, request("a", 1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bug in the storage adapter");
            assertThat(failureOf(broken, request("b", 1))).as("not left waiting")
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class Closing {

        @Test
        void refuses_queued_appends_at_once_lets_the_group_in_flight_finish_and_refuses_new_ones()
                throws Exception {
            Caller first = append("a", 1);
            Group writing = writer.awaitGroup();
            Caller b = queue("b", 1);
            Caller c = queue("c", 1);

            commit.close();

            assertThat(b.failure()).isInstanceOf(StoreClosedException.class);
            assertThat(c.failure()).isInstanceOf(StoreClosedException.class);
            assertThat(first.ended()).as("the group in flight is still being written").isFalse();
            writing.release();
            first.assertWritten();
            assertThat(failureOf(commit, request("d", 1))).isInstanceOf(StoreClosedException.class);
            commit.close();
            assertThat(writer.groups).extracting(Group::requests).containsExactly(List.of(first.request));
        }

        @Test
        void leaves_no_caller_waiting_when_it_races_many_appends() throws Exception {
            writer.stopHolding();
            int threads = 16;
            CountDownLatch appended = new CountDownLatch(threads * 20);
            Set<AppendRequest> returned = ConcurrentHashMap.newKeySet();
            List<CompletableFuture<Throwable>> endings = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String stream = "s" + i;
                CompletableFuture<Throwable> ending = new CompletableFuture<>();
                endings.add(ending);
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (true) {
                            AppendRequest request = request(stream, 1);
                            commit.append(request);
                            returned.add(request);
                            appended.countDown();
                        }
                    } catch (Throwable e) {
                        ending.complete(e);
                    }
                });
            }
            assertThat(appended.await(PATIENCE.toSeconds(), SECONDS)).isTrue();

            commit.close();

            for (CompletableFuture<Throwable> ending : endings) {
                assertThat(ending.get(PATIENCE.toSeconds(), SECONDS)).isInstanceOf(StoreClosedException.class);
            }
            List<AppendRequest> written = writer.groups.stream().flatMap(group -> group.requests().stream())
                    .toList();
            assertThat(written).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(returned);
        }
    }

    @Nested
    class Interrupts {

        @Test
        void a_waiting_caller_interrupted_still_gets_its_outcome_with_its_interrupt_flag_set_again()
                throws Exception {
            Caller first = append("a", 1);
            Group writing = writer.awaitGroup();
            Caller waiting = queue("b", 1);

            waiting.thread.interrupt();
            writing.release();
            writer.awaitGroup().release();

            waiting.assertWritten();
            assertThat(waiting.interruptedOnReturn).isTrue();
            first.assertWritten();
            assertThat(first.interruptedOnReturn).isFalse();
        }

        @Test
        void a_caller_interrupted_before_it_writes_a_group_writes_it_uninterrupted_and_keeps_its_interrupt()
                throws Exception {
            List<Boolean> interruptedWhileWriting = new CopyOnWriteArrayList<>();
            GroupCommit watching = new GroupCommit(group -> {
                interruptedWhileWriting.add(Thread.currentThread().isInterrupted());
                return group.stream().map(request -> GroupCommit.Result.appended(
                        new AppendOutcome(List.of(), List.of()))).toList();
            }, MAX_EVENTS, () -> new StoreClosedException("closed"));

            boolean interruptedOnReturn = CompletableFuture.supplyAsync(() -> {
                Thread.currentThread().interrupt();
                watching.append(request("a", 1));
                return Thread.interrupted();
            }).get(PATIENCE.toSeconds(), SECONDS);

            assertThat(interruptedWhileWriting).containsExactly(false);
            assertThat(interruptedOnReturn).isTrue();
        }
    }
}
