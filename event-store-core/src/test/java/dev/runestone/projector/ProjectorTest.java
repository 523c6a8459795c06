package dev.runestone.projector;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.ErrorHook;
import dev.runestone.EventRecord;
import dev.runestone.clock.HlcTimestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectorTest {

    sealed interface TaskEvent permits TaskOpened, TaskRenamed {
    }

    record TaskOpened(String data) implements TaskEvent {
    }

    record TaskRenamed(String data) implements TaskEvent {
    }

    record Failure(Throwable error, @Nullable EventRecord<TaskEvent> record) {
    }

    private static final long T = Instant.parse("2026-11-26T05:35:58.123Z").toEpochMilli();
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final ErrorHook<TaskEvent> errorHook = (error, record) -> failures.add(new Failure(error, record));
    private final Projector<TaskEvent> projector = Projector.create(executor, errorHook);
    private final AtomicLong positions = new AtomicLong();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    private EventRecord<TaskEvent> record(String stream, long version, TaskEvent event) {
        long position = positions.incrementAndGet();
        String type = event instanceof TaskOpened ? "task:opened" : "task:renamed";
        return new EventRecord<>(UUID.randomUUID(), stream, type, event, new HlcTimestamp(T + position, 0),
                Instant.ofEpochMilli(T + position), version, position);
    }

    private EventRecord<TaskEvent> opened(String stream, long version) {
        return record(stream, version, new TaskOpened(stream + "#" + version));
    }

    private void awaitIdle() throws InterruptedException {
        assertThat(projector.awaitIdle(PATIENCE)).as("projector went idle").isTrue();
    }

    @Nested
    class Which_handlers_run {

        private final EventRecord<TaskEvent> live = opened("task-1", 1);
        private final EventRecord<TaskEvent> hydrated = opened("task-1", 2);
        private final EventRecord<TaskEvent> outdated = opened("task-1", 3);
        private final List<EventRecord<?>> handled = new CopyOnWriteArrayList<>();

        private void pushAllThreeStatuses() throws InterruptedException {
            projector.push(live, ProjectionStatus.LIVE);
            projector.push(hydrated, ProjectionStatus.HYDRATED);
            projector.push(outdated, ProjectionStatus.OUTDATED);
            awaitIdle();
        }

        @Test
        void once_runs_only_for_live_events() throws InterruptedException {
            projector.once(TaskOpened.class, record -> handled.add(record), Effects.of((r, x) -> { }, (r, e) -> { }));

            pushAllThreeStatuses();

            assertThat(handled).containsExactly(live);
        }

        @Test
        void on_runs_for_live_and_hydrated_events_but_not_outdated_ones() throws InterruptedException {
            projector.on(TaskOpened.class, handled::add);

            pushAllThreeStatuses();

            assertThat(handled).containsExactly(live, hydrated);
        }

        @Test
        void all_runs_for_live_hydrated_and_outdated_events() throws InterruptedException {
            projector.all(TaskOpened.class, handled::add);

            pushAllThreeStatuses();

            assertThat(handled).containsExactly(live, hydrated, outdated);
        }

        @Test
        void a_handler_for_the_sealed_supertype_receives_every_subtype() throws InterruptedException {
            List<EventRecord<?>> renamedOnly = new CopyOnWriteArrayList<>();
            projector.on(TaskEvent.class, handled::add);
            projector.on(TaskRenamed.class, renamedOnly::add);
            EventRecord<TaskEvent> opened = opened("task-1", 1);
            EventRecord<TaskEvent> renamed = record("task-1", 2, new TaskRenamed("Water the runes"));

            projector.push(opened, ProjectionStatus.LIVE);
            projector.push(renamed, ProjectionStatus.LIVE);
            awaitIdle();

            assertThat(handled).containsExactly(opened, renamed);
            assertThat(renamedOnly).containsExactly(renamed);
        }

        @Test
        void unsubscribing_stops_further_calls() throws InterruptedException {
            Registration registration = projector.on(TaskOpened.class, handled::add);
            EventRecord<TaskEvent> before = opened("task-1", 1);
            projector.push(before, ProjectionStatus.LIVE);
            awaitIdle();

            registration.unsubscribe();
            projector.push(opened("task-1", 2), ProjectionStatus.LIVE);
            awaitIdle();

            assertThat(handled).containsExactly(before);
        }

        @Test
        void unsubscribing_one_handler_leaves_the_others_and_is_harmless_twice() throws InterruptedException {
            List<EventRecord<?>> kept = new CopyOnWriteArrayList<>();
            Registration removed = projector.on(TaskOpened.class, handled::add);
            projector.on(TaskOpened.class, kept::add);

            removed.unsubscribe();
            removed.unsubscribe();
            EventRecord<TaskEvent> event = opened("task-1", 1);
            projector.push(event, ProjectionStatus.LIVE);
            awaitIdle();

            assertThat(handled).isEmpty();
            assertThat(kept).containsExactly(event);
        }
    }

    @Nested
    class Effects_of_once {

        @Test
        void hear_the_result_the_handler_returned() throws InterruptedException {
            List<String> results = new CopyOnWriteArrayList<>();
            List<Exception> errors = new CopyOnWriteArrayList<>();
            List<EventRecord<?>> records = new CopyOnWriteArrayList<>();
            projector.once(TaskOpened.class, record -> "mailed " + record.event().data(),
                    Effects.of((record, result) -> {
                        records.add(record);
                        results.add(result);
                    }, (record, error) -> errors.add(error)));
            EventRecord<TaskEvent> event = opened("task-1", 1);

            projector.push(event, ProjectionStatus.LIVE);
            awaitIdle();

            assertThat(results).containsExactly("mailed task-1#1");
            assertThat(records).containsExactly(event);
            assertThat(errors).isEmpty();
        }

        @Test
        void hear_the_exception_the_handler_threw_instead_of_the_error_hook() throws InterruptedException {
            IllegalStateException smtpDown = new IllegalStateException("SMTP server down");
            List<String> results = new CopyOnWriteArrayList<>();
            List<Exception> errors = new CopyOnWriteArrayList<>();
            List<EventRecord<?>> records = new CopyOnWriteArrayList<>();
            projector.once(TaskOpened.class, record -> {
                throw smtpDown;
            }, Effects.<TaskOpened, String>of((record, result) -> results.add(result), (record, error) -> {
                records.add(record);
                errors.add(error);
            }));
            EventRecord<TaskEvent> event = opened("task-1", 1);

            projector.push(event, ProjectionStatus.LIVE);
            awaitIdle();

            assertThat(errors).containsExactly(smtpDown);
            assertThat(records).containsExactly(event);
            assertThat(results).isEmpty();
            assertThat(failures).isEmpty();
        }

        @Test
        void that_throw_go_to_the_error_hook_with_the_record() throws InterruptedException {
            IllegalStateException bookkeepingFailed = new IllegalStateException("outbox full");
            projector.once(TaskOpened.class, record -> "mailed", Effects.of((record, result) -> {
                throw bookkeepingFailed;
            }, (record, error) -> { }));
            EventRecord<TaskEvent> event = opened("task-1", 1);

            projector.push(event, ProjectionStatus.LIVE);
            awaitIdle();

            assertThat(failures).containsExactly(new Failure(bookkeepingFailed, event));
        }

        @Test
        void that_throw_on_error_go_to_the_error_hook_with_the_handler_failure_suppressed()
                throws InterruptedException {
            IllegalStateException handlerFailed = new IllegalStateException("SMTP server down");
            IllegalStateException onErrorFailed = new IllegalStateException("retry queue full");
            projector.once(TaskOpened.class, record -> {
                throw handlerFailed;
            }, Effects.of((record, result) -> { }, (record, error) -> {
                throw onErrorFailed;
            }));
            EventRecord<TaskEvent> event = opened("task-1", 1);

            projector.push(event, ProjectionStatus.LIVE);
            awaitIdle();

            assertThat(failures).containsExactly(new Failure(onErrorFailed, event));
            assertThat(onErrorFailed.getSuppressed()).containsExactly(handlerFailed);
        }
    }

    @Nested
    class Failing_handlers {

        @Test
        void go_to_the_error_hook_with_their_record_while_the_other_handlers_still_run()
                throws InterruptedException {
            IllegalStateException readModelDown = new IllegalStateException("read model table missing");
            List<EventRecord<?>> handled = new CopyOnWriteArrayList<>();
            projector.on(TaskOpened.class, record -> {
                throw readModelDown;
            });
            projector.on(TaskOpened.class, handled::add);
            EventRecord<TaskEvent> first = opened("task-1", 1);
            EventRecord<TaskEvent> second = opened("task-1", 2);

            projector.push(first, ProjectionStatus.LIVE);
            projector.push(second, ProjectionStatus.LIVE);
            awaitIdle();

            assertThat(failures).containsExactly(new Failure(readModelDown, first), new Failure(readModelDown, second));
            assertThat(handled).containsExactly(first, second);
        }

        @Test
        void do_not_fail_the_future_returned_by_push() throws Exception {
            projector.on(TaskOpened.class, record -> {
                throw new IllegalStateException("boom");
            });

            CompletableFuture<Void> done = projector.push(opened("task-1", 1), ProjectionStatus.LIVE);

            assertThat(done.get(PATIENCE.toSeconds(), SECONDS)).isNull();
            assertThat(done).isCompleted();
            assertThat(failures).hasSize(1);
        }

        @Test
        void in_a_batch_go_to_the_error_hook_without_a_record() throws InterruptedException {
            IllegalStateException batchFailed = new IllegalStateException("bulk insert failed");
            List<List<EventRecord<TaskEvent>>> batches = new CopyOnWriteArrayList<>();
            projector.batch("import", records -> {
                throw batchFailed;
            });
            projector.batch("import", batches::add);
            List<EventRecord<TaskEvent>> records = List.of(opened("task-1", 1), opened("task-2", 1));

            projector.pushBatch("import", records);
            awaitIdle();

            assertThat(failures).containsExactly(new Failure(batchFailed, null));
            assertThat(batches).containsExactly(records);
        }

        @Test
        void that_throw_an_error_go_to_the_error_hook_and_do_not_stop_their_stream() throws InterruptedException {
            AssertionError broken = new AssertionError("handler bug");
            List<EventRecord<?>> handled = new CopyOnWriteArrayList<>();
            projector.on(TaskOpened.class, record -> {
                if (record.version() == 1) {
                    throw broken;
                }
                handled.add(record);
            });
            EventRecord<TaskEvent> first = opened("task-1", 1);
            EventRecord<TaskEvent> second = opened("task-1", 2);

            projector.push(first, ProjectionStatus.LIVE);
            projector.push(second, ProjectionStatus.LIVE);
            awaitIdle();

            assertThat(failures).containsExactly(new Failure(broken, first));
            assertThat(handled).containsExactly(second);
        }

        @Test
        void in_a_batch_that_throw_an_error_do_not_stop_later_batches() throws InterruptedException {
            AssertionError broken = new AssertionError("batch handler bug");
            List<List<EventRecord<TaskEvent>>> batches = new CopyOnWriteArrayList<>();
            projector.batch("import", records -> {
                if (records.getFirst().version() == 1) {
                    throw broken;
                }
                batches.add(records);
            });
            List<EventRecord<TaskEvent>> later = List.of(opened("task-1", 2));

            projector.pushBatch("import", List.of(opened("task-1", 1)));
            projector.pushBatch("import", later);
            awaitIdle();

            assertThat(failures).containsExactly(new Failure(broken, null));
            assertThat(batches).containsExactly(later);
        }

        @Test
        void still_let_the_other_handlers_run_when_the_error_hook_itself_throws() throws InterruptedException {
            List<EventRecord<?>> handled = new CopyOnWriteArrayList<>();
            Projector<TaskEvent> strict = Projector.create(executor, (error, record) -> {
                throw new IllegalStateException("error hook failed on purpose; this log line is expected");
            });
            strict.on(TaskOpened.class, record -> {
                throw new IllegalStateException("handler failed on purpose");
            });
            strict.on(TaskOpened.class, handled::add);
            EventRecord<TaskEvent> event = opened("task-1", 1);

            strict.push(event, ProjectionStatus.LIVE);

            assertThat(strict.awaitIdle(PATIENCE)).isTrue();
            assertThat(handled).containsExactly(event);
        }
    }

    @Nested
    class Ordering_and_concurrency {

        @Test
        void handles_the_events_of_one_stream_in_push_order_one_at_a_time_while_many_streams_are_pushed_at_once()
                throws Exception {
            int pushers = 4;
            int streams = 32;
            int eventsPerStream = 200;
            Map<String, List<Long>> handled = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
            AtomicBoolean overlapped = new AtomicBoolean();
            projector.on(TaskEvent.class, record -> {
                AtomicInteger inStream = running.computeIfAbsent(record.stream(), s -> new AtomicInteger());
                if (inStream.incrementAndGet() > 1) {
                    overlapped.set(true);
                }
                handled.computeIfAbsent(record.stream(), s -> Collections.synchronizedList(new ArrayList<>()))
                        .add(record.version());
                Thread.yield();
                inStream.decrementAndGet();
            });
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> pushing = new ArrayList<>();

            try (ExecutorService pusherThreads = Executors.newFixedThreadPool(pushers)) {
                for (int p = 0; p < pushers; p++) {
                    int pusher = p;
                    pushing.add(pusherThreads.submit(() -> {
                        start.await();
                        // Each stream has one pusher, so its push order is defined; the pushers interleave streams.
                        for (long version = 1; version <= eventsPerStream; version++) {
                            for (int s = pusher; s < streams; s += pushers) {
                                projector.push(opened("stream-" + s, version), ProjectionStatus.LIVE);
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> push : pushing) {
                    push.get(PATIENCE.toSeconds(), SECONDS);
                }
            }
            awaitIdle();

            List<Long> inOrder = LongStream.rangeClosed(1, eventsPerStream).boxed().toList();
            assertThat(handled).hasSize(streams);
            handled.forEach((stream, versions) -> assertThat(versions).as(stream).isEqualTo(inOrder));
            assertThat(overlapped).as("two events of one stream handled at the same time").isFalse();
        }

        @Test
        void handles_different_streams_concurrently() throws Exception {
            CountDownLatch streamBHandled = new CountDownLatch(1);
            CompletableFuture<Boolean> streamASawStreamB = new CompletableFuture<>();
            projector.on(TaskOpened.class, record -> {
                if (record.stream().equals("stream-a")) {
                    // Blocks stream A's lane until stream B has been handled; a projector that handled streams one
                    // after another would time out here.
                    streamASawStreamB.complete(streamBHandled.await(PATIENCE.toSeconds(), SECONDS));
                } else {
                    streamBHandled.countDown();
                }
            });

            projector.push(opened("stream-a", 1), ProjectionStatus.LIVE);
            projector.push(opened("stream-b", 1), ProjectionStatus.LIVE);

            assertThat(streamASawStreamB.get(2 * PATIENCE.toSeconds(), SECONDS)).isTrue();
            awaitIdle();
        }

        @Test
        void never_runs_handlers_on_the_pushing_thread() throws InterruptedException {
            AtomicReference<Thread> handlerThread = new AtomicReference<>();
            projector.on(TaskOpened.class, record -> handlerThread.set(Thread.currentThread()));

            projector.push(opened("task-1", 1), ProjectionStatus.LIVE);
            awaitIdle();

            assertThat(handlerThread.get()).isNotNull().isNotSameAs(Thread.currentThread());
        }

        @Test
        void runs_on_the_pushing_thread_once_the_executor_is_shut_down_so_no_event_is_dropped() {
            AtomicReference<Thread> handlerThread = new AtomicReference<>();
            projector.on(TaskOpened.class, record -> handlerThread.set(Thread.currentThread()));
            executor.shutdown();

            CompletableFuture<Void> done = projector.push(opened("task-1", 1), ProjectionStatus.LIVE);

            assertThat(done).isCompleted();
            assertThat(handlerThread.get()).isSameAs(Thread.currentThread());
        }

        @Test
        void works_on_virtual_threads() throws InterruptedException {
            List<EventRecord<?>> handled = new CopyOnWriteArrayList<>();
            try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
                Projector<TaskEvent> onVirtualThreads = Projector.create(virtual, errorHook);
                onVirtualThreads.on(TaskOpened.class, handled::add);
                List<EventRecord<TaskEvent>> pushed = new ArrayList<>();
                for (int version = 1; version <= 100; version++) {
                    EventRecord<TaskEvent> event = opened("task-1", version);
                    pushed.add(event);
                    onVirtualThreads.push(event, ProjectionStatus.LIVE);
                }

                assertThat(onVirtualThreads.awaitIdle(PATIENCE)).isTrue();
                assertThat(handled).containsExactlyElementsOf(pushed);
            }
        }
    }

    @Nested
    class Batches {

        @Test
        void reach_the_batch_handlers_of_their_key_with_the_whole_list() throws Exception {
            List<List<EventRecord<TaskEvent>>> imports = new CopyOnWriteArrayList<>();
            List<List<EventRecord<TaskEvent>>> exports = new CopyOnWriteArrayList<>();
            projector.batch("import", imports::add);
            projector.batch("export", exports::add);
            List<EventRecord<TaskEvent>> records = List.of(opened("task-1", 1),
                    record("task-1", 2, new TaskRenamed("Polish the runes")), opened("task-2", 1));

            projector.pushBatch("import", records).get(PATIENCE.toSeconds(), SECONDS);

            assertThat(imports).containsExactly(records);
            assertThat(exports).isEmpty();
        }

        @Test
        void do_not_reach_the_per_event_handlers() throws Exception {
            List<EventRecord<?>> handled = new CopyOnWriteArrayList<>();
            List<List<EventRecord<TaskEvent>>> imports = new CopyOnWriteArrayList<>();
            projector.all(TaskEvent.class, handled::add);
            projector.batch("import", imports::add);

            projector.pushBatch("import", List.of(opened("task-1", 1))).get(PATIENCE.toSeconds(), SECONDS);

            assertThat(imports).hasSize(1);
            assertThat(handled).isEmpty();
        }

        @Test
        void stop_reaching_a_handler_once_it_unsubscribed() throws Exception {
            List<List<EventRecord<TaskEvent>>> imports = new CopyOnWriteArrayList<>();
            Registration registration = projector.batch("import", imports::add);
            List<EventRecord<TaskEvent>> first = List.of(opened("task-1", 1));
            projector.pushBatch("import", first).get(PATIENCE.toSeconds(), SECONDS);

            registration.unsubscribe();
            projector.pushBatch("import", List.of(opened("task-1", 2))).get(PATIENCE.toSeconds(), SECONDS);

            assertThat(imports).containsExactly(first);
        }

        @Test
        void are_handed_over_in_push_order_per_key() throws InterruptedException {
            List<Long> firstVersions = new CopyOnWriteArrayList<>();
            projector.batch("import", records -> firstVersions.add(records.getFirst().version()));

            for (long version = 1; version <= 50; version++) {
                projector.pushBatch("import", List.of(opened("task-1", version)));
            }
            awaitIdle();

            assertThat(firstVersions).isEqualTo(LongStream.rangeClosed(1, 50).boxed().toList());
        }
    }

    @Nested
    class Waiting {

        @Test
        void await_idle_returns_true_at_once_when_nothing_was_pushed() throws InterruptedException {
            assertThat(projector.awaitIdle(Duration.ZERO)).isTrue();
        }

        @Test
        void await_idle_returns_true_once_every_pushed_event_is_handled() throws InterruptedException {
            AtomicInteger handled = new AtomicInteger();
            projector.on(TaskOpened.class, record -> handled.incrementAndGet());
            for (int stream = 0; stream < 20; stream++) {
                for (int version = 1; version <= 50; version++) {
                    projector.push(opened("task-" + stream, version), ProjectionStatus.LIVE);
                }
            }

            boolean idle = projector.awaitIdle(PATIENCE);

            assertThat(idle).isTrue();
            assertThat(handled).hasValue(20 * 50);
        }

        @Test
        void await_idle_returns_false_when_the_timeout_passes_while_a_handler_is_blocked() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            projector.on(TaskOpened.class, record -> {
                started.countDown();
                release.await(PATIENCE.toSeconds(), SECONDS);
            });
            projector.push(opened("task-1", 1), ProjectionStatus.LIVE);
            assertThat(started.await(PATIENCE.toSeconds(), SECONDS)).isTrue();

            boolean idleWhileBlocked = projector.awaitIdle(Duration.ofMillis(50));
            release.countDown();

            assertThat(idleWhileBlocked).isFalse();
            assertThat(projector.awaitIdle(PATIENCE)).isTrue();
        }

        @Test
        void the_future_returned_by_push_completes_after_the_handlers_ran() throws Exception {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean secondHandlerRan = new AtomicBoolean();
            projector.on(TaskOpened.class, record -> {
                started.countDown();
                release.await(PATIENCE.toSeconds(), SECONDS);
            });
            projector.on(TaskOpened.class, record -> secondHandlerRan.set(true));

            CompletableFuture<Void> done = projector.push(opened("task-1", 1), ProjectionStatus.LIVE);
            assertThat(started.await(PATIENCE.toSeconds(), SECONDS)).isTrue();
            boolean doneWhileHandling = done.isDone();
            release.countDown();
            done.get(PATIENCE.toSeconds(), SECONDS);

            assertThat(doneWhileHandling).isFalse();
            assertThat(secondHandlerRan).isTrue();
        }
    }
}
