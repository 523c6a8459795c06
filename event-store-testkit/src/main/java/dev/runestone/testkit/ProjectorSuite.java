package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.activated;
import static dev.runestone.testkit.events.TestEvents.emailSet;
import static dev.runestone.testkit.events.TestEvents.givenNameSet;
import static dev.runestone.testkit.events.TestEvents.postCreated;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.AppendResult;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.ReadOptions;
import dev.runestone.projector.Effects;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.projector.Registration;
import dev.runestone.testkit.events.PostCreated;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserCreated;
import dev.runestone.testkit.events.UserEmailSet;
import dev.runestone.testkit.events.UserNameGivenSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The projector as a store feeds it: {@code once}, {@code on} and {@code all} handlers and the original library's
 * hydration rules, effects reporting success and failure, replaying stored events as hydrated, batch handlers, order
 * within a stream, unsubscribing, and failures that never undo an append.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ProjectorSuite extends SuiteBase {

    final List<Failure> failures = new CopyOnWriteArrayList<>();

    /** The default store's error hook collects into {@link #failures}. */
    @Override
    EventStore.Builder<TestEvent> configure(EventStore.Builder<TestEvent> builder) {
        return builder.onError((error, record) -> failures.add(new Failure(error, record)));
    }

    List<EventRecord<TestEvent>> appendThree() throws InterruptedException {
        List<EventRecord<TestEvent>> records = store.append("user-1", List.of(
                userCreated("Jane", "Doe", "jane@example.com"), givenNameSet("Janet"), emailSet("janet@example.com")))
                .records();
        awaitProjections(store);
        return records;
    }

    @Nested
    class Once_handlers {

        @Test
        void run_for_a_new_event_and_report_success_to_their_effects() throws InterruptedException {
            List<String> sent = new CopyOnWriteArrayList<>();
            List<Exception> errors = new CopyOnWriteArrayList<>();
            store.projector().once(UserCreated.class,
                    record -> "welcome mail to " + record.event().data().email(),
                    Effects.of((record, result) -> sent.add(result), (record, error) -> errors.add(error)));

            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            awaitProjections(store);

            assertThat(sent).containsExactly("welcome mail to jane@example.com");
            assertThat(errors).isEmpty();
        }

        @Test
        void report_a_failure_to_their_effects_while_the_append_stands() throws InterruptedException {
            List<String> sent = new CopyOnWriteArrayList<>();
            List<String> errors = new CopyOnWriteArrayList<>();
            store.projector().once(UserCreated.class,
                    record -> {
                        throw new IllegalStateException("mail server down");
                    },
                    Effects.<UserCreated, String>of((record, result) -> sent.add(result),
                            (record, error) -> errors.add(record.stream() + ": " + error.getMessage())));

            AppendResult<TestEvent> result = store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            awaitProjections(store);

            assertThat(errors).containsExactly("user-1: mail server down");
            assertThat(sent).isEmpty();
            assertThat(failures).as("a failure the effects handled is not also reported").isEmpty();
            assertThat(store.read("user-1")).containsExactlyElementsOf(result.records());
        }

        @Test
        void never_run_for_hydrated_or_outdated_events() throws Exception {
            List<EventRecord<TestEvent>> stored = appendThree();
            List<String> handled = new CopyOnWriteArrayList<>();
            store.projector().once(TestEvent.class, record -> handled.add(record.type()),
                    Effects.of((record, result) -> { }, (record, error) -> { }));

            store.projector().push(stored.get(0), ProjectionStatus.HYDRATED);
            store.projector().push(stored.get(1), ProjectionStatus.OUTDATED);
            store.projector().push(stored.get(2), ProjectionStatus.LIVE);
            awaitProjections(store);

            assertThat(handled).containsExactly("user:email-set");
        }

        @Test
        void send_a_failing_effect_to_the_error_hook() throws InterruptedException {
            store.projector().once(UserCreated.class, record -> "sent",
                    Effects.of((record, result) -> {
                        throw new IllegalStateException("outbox full");
                    }, (record, error) -> { }));

            AppendResult<TestEvent> result = store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            awaitProjections(store);

            assertThat(failures).singleElement().satisfies(failure -> {
                assertThat(failure.error()).hasMessage("outbox full");
                assertThat(failure.record()).isEqualTo(result.records().getFirst());
            });
        }
    }

    @Nested
    class On_handlers {

        @Test
        void run_for_new_and_hydrated_events_but_never_outdated_ones() throws Exception {
            List<EventRecord<TestEvent>> stored = appendThree();
            List<String> handled = new CopyOnWriteArrayList<>();
            store.projector().on(TestEvent.class, record -> handled.add(record.type()));

            store.projector().push(stored.get(0), ProjectionStatus.LIVE);
            store.projector().push(stored.get(1), ProjectionStatus.HYDRATED);
            store.projector().push(stored.get(2), ProjectionStatus.OUTDATED);
            awaitProjections(store);

            assertThat(handled).containsExactly("user:created", "user:name:given-set");
        }

        @Test
        void receive_the_stored_record() throws InterruptedException {
            List<EventRecord<UserCreated>> handled = new CopyOnWriteArrayList<>();
            store.projector().on(UserCreated.class, handled::add);

            AppendResult<TestEvent> result = store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            awaitProjections(store);

            assertThat(handled).singleElement().isEqualTo(result.records().getFirst());
        }

        @Test
        void for_the_sealed_event_type_receive_every_event_and_for_a_record_only_its_own() throws InterruptedException {
            List<String> everything = new CopyOnWriteArrayList<>();
            List<String> emails = new CopyOnWriteArrayList<>();
            List<String> titles = new CopyOnWriteArrayList<>();
            store.projector().on(TestEvent.class, record -> everything.add(record.type()));
            store.projector().on(UserEmailSet.class, record -> emails.add(record.event().data()));
            store.projector().on(PostCreated.class, record -> titles.add(record.event().data().title()));

            store.append("user-1", List.of(userCreated("Jane", "Doe", "jane@example.com"), activated(),
                    emailSet("jd@example.com")));
            store.append("post-1", postCreated("user-1", "Hello"));
            awaitProjections(store);

            assertThat(everything).as("streams are handled in parallel, each in order")
                    .containsExactlyInAnyOrder("user:created", "user:activated", "user:email-set", "post:created");
            assertThat(everything).filteredOn(type -> type.startsWith("user:"))
                    .containsExactly("user:created", "user:activated", "user:email-set");
            assertThat(emails).containsExactly("jd@example.com");
            assertThat(titles).containsExactly("Hello");
        }
    }

    @Nested
    class All_handlers {

        @Test
        void run_for_new_hydrated_and_outdated_events() throws Exception {
            List<EventRecord<TestEvent>> stored = appendThree();
            List<String> handled = new CopyOnWriteArrayList<>();
            store.projector().all(TestEvent.class, record -> handled.add(record.type()));

            store.projector().push(stored.get(0), ProjectionStatus.LIVE);
            store.projector().push(stored.get(1), ProjectionStatus.HYDRATED);
            store.projector().push(stored.get(2), ProjectionStatus.OUTDATED);
            awaitProjections(store);

            assertThat(handled).containsExactly("user:created", "user:name:given-set", "user:email-set");
        }
    }

    @Nested
    class Replaying_stored_events {

        @Test
        void rebuilds_a_read_model_with_on_handlers_without_repeating_once_side_effects() throws Exception {
            Map<String, String> emails = new ConcurrentHashMap<>();
            AtomicInteger welcomeMails = new AtomicInteger();
            store.projector().on(UserCreated.class, record -> emails.put(record.stream(), record.event().data().email()));
            store.projector().on(UserEmailSet.class, record -> emails.put(record.stream(), record.event().data()));
            store.projector().once(UserCreated.class, record -> welcomeMails.incrementAndGet(),
                    Effects.of((record, result) -> { }, (record, error) -> { }));
            store.append("user-1", List.of(userCreated("Jane", "Doe", "jane@example.com"),
                    emailSet("jd@example.com")));
            store.append("user-2", userCreated("John", "Roe", "john@example.com"));
            awaitProjections(store);
            Map<String, String> live = Map.copyOf(emails);

            emails.clear();
            for (EventRecord<TestEvent> record : store.readAll(ReadOptions.defaults())) {
                store.projector().push(record, ProjectionStatus.HYDRATED);
            }
            awaitProjections(store);

            assertThat(live).containsOnly(Map.entry("user-1", "jd@example.com"), Map.entry("user-2", "john@example.com"));
            assertThat(emails).isEqualTo(live);
            assertThat(welcomeMails).hasValue(2);
        }

        @Test
        void completes_the_push_once_the_handlers_ran() throws Exception {
            List<EventRecord<TestEvent>> stored = appendThree();
            List<String> handled = new CopyOnWriteArrayList<>();
            store.projector().on(UserNameGivenSet.class, record -> handled.add(record.event().data()));

            store.projector().push(stored.get(1), ProjectionStatus.HYDRATED).get(PATIENCE.toSeconds(),
                    TimeUnit.SECONDS);

            assertThat(handled).containsExactly("Janet");
        }
    }

    @Nested
    class Failing_handlers {

        @Test
        void report_to_the_error_hook_with_the_record_and_the_append_stands() throws InterruptedException {
            List<String> others = new CopyOnWriteArrayList<>();
            store.projector().on(UserCreated.class, record -> {
                throw new IllegalStateException("read model down");
            });
            store.projector().on(UserCreated.class, record -> others.add(record.stream()));

            AppendResult<TestEvent> result = store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            awaitProjections(store);

            assertThat(failures).singleElement().satisfies(failure -> {
                assertThat(failure.error()).isInstanceOf(IllegalStateException.class).hasMessage("read model down");
                assertThat(failure.record()).isEqualTo(result.records().getFirst());
            });
            assertThat(others).as("other handlers still run").containsExactly("user-1");
            assertThat(store.read("user-1")).containsExactlyElementsOf(result.records());
        }

        @Test
        void do_not_stop_later_events_of_the_stream() throws InterruptedException {
            List<String> handled = new CopyOnWriteArrayList<>();
            store.projector().on(TestEvent.class, record -> {
                if (record.version() == 1) {
                    throw new IllegalStateException("first one fails");
                }
                handled.add(record.type());
            });

            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            store.append("user-1", activated());
            awaitProjections(store);

            assertThat(handled).containsExactly("user:activated");
            assertThat(failures).hasSize(1);
        }

        @Test
        void that_block_do_not_hold_up_appends() throws InterruptedException {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger finished = new AtomicInteger();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            store.projector().on(UserCreated.class, record -> {
                threads.add(Thread.currentThread());
                entered.countDown();
                release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                finished.incrementAndGet();
            });

            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            store.append("user-2", userCreated("John", "Roe", "john@example.com"));

            assertThat(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(finished).as("both appends returned while a handler was still blocked").hasValue(0);
            release.countDown();
            awaitProjections(store);
            assertThat(finished).hasValue(2);
            assertThat(threads).doesNotContain(Thread.currentThread());
        }
    }

    @Nested
    class Batch_handlers {

        @Test
        void receive_the_events_of_one_append_as_one_list() throws InterruptedException {
            List<List<EventRecord<TestEvent>>> batches = new CopyOnWriteArrayList<>();
            List<String> perType = new CopyOnWriteArrayList<>();
            store.projector().batch("import", batches::add);
            store.projector().on(TestEvent.class, record -> perType.add(record.type()));

            AppendResult<TestEvent> result = store.batch()
                    .add("user-1", userCreated("Jane", "Doe", "jane@example.com"))
                    .add("user-2", userCreated("John", "Roe", "john@example.com"))
                    .add("user-1", activated())
                    .projectAsBatch("import")
                    .commit();
            awaitProjections(store);

            assertThat(batches).containsExactly(result.records());
            assertThat(perType).as("a batch append skips the per-type handlers").isEmpty();
        }

        @Test
        void are_called_only_for_their_own_key() throws InterruptedException {
            List<List<EventRecord<TestEvent>>> imports = new CopyOnWriteArrayList<>();
            List<List<EventRecord<TestEvent>>> exports = new CopyOnWriteArrayList<>();
            store.projector().batch("import", imports::add);
            store.projector().batch("export", exports::add);

            store.batch().add("user-1", userCreated("Jane", "Doe", "jane@example.com")).projectAsBatch("import")
                    .commit();
            store.append("user-2", userCreated("John", "Roe", "john@example.com"));
            awaitProjections(store);

            assertThat(imports).hasSize(1);
            assertThat(exports).isEmpty();
        }

        @Test
        void report_a_failure_to_the_error_hook_without_a_record() throws InterruptedException {
            store.projector().batch("import", records -> {
                throw new IllegalStateException("bulk insert failed");
            });

            AppendResult<TestEvent> result = store.batch()
                    .add("user-1", userCreated("Jane", "Doe", "jane@example.com"))
                    .projectAsBatch("import")
                    .commit();
            awaitProjections(store);

            assertThat(failures).singleElement().satisfies(failure -> {
                assertThat(failure.error()).hasMessage("bulk insert failed");
                assertThat(failure.record()).isNull();
            });
            assertThat(store.read("user-1")).containsExactlyElementsOf(result.records());
        }
    }

    @Nested
    class Unsubscribing {

        @Test
        void stops_a_handler_and_leaves_the_others() throws InterruptedException {
            List<String> stopped = new CopyOnWriteArrayList<>();
            List<String> kept = new CopyOnWriteArrayList<>();
            Registration registration = store.projector().on(TestEvent.class, record -> stopped.add(record.type()));
            store.projector().on(TestEvent.class, record -> kept.add(record.type()));
            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            awaitProjections(store);

            registration.unsubscribe();
            registration.unsubscribe();
            store.append("user-1", activated());
            awaitProjections(store);

            assertThat(stopped).containsExactly("user:created");
            assertThat(kept).containsExactly("user:created", "user:activated");
        }

        @Test
        void stops_a_batch_handler() throws InterruptedException {
            List<List<EventRecord<TestEvent>>> batches = new CopyOnWriteArrayList<>();
            Registration registration = store.projector().batch("import", batches::add);
            registration.unsubscribe();

            store.batch().add("user-1", userCreated("Jane", "Doe", "jane@example.com")).projectAsBatch("import")
                    .commit();
            awaitProjections(store);

            assertThat(batches).isEmpty();
            assertThat(store.version("user-1")).isEqualTo(1);
        }
    }

    @Nested
    class Ordering {

        @Test
        void handles_the_events_of_each_stream_in_order_while_many_streams_are_appended_at_once() throws Exception {
            int streams = 8;
            int eventsPerStream = 40;
            Map<String, List<Long>> seen = new ConcurrentHashMap<>();
            store.projector().on(UserNameGivenSet.class, record -> {
                seen.computeIfAbsent(record.stream(), stream -> Collections.synchronizedList(new ArrayList<>()))
                        .add(record.version());
                Thread.yield();
            });
            ExecutorService writers = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int writer = 0; writer < 4; writer++) {
                    int first = writer * 2;
                    done.add(writers.submit(() -> {
                        for (int i = 1; i <= eventsPerStream; i++) {
                            for (int stream = first; stream < first + 2; stream++) {
                                store.append("user-" + stream, givenNameSet("name " + i));
                            }
                        }
                    }));
                }
                for (Future<?> future : done) {
                    future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                }
            } finally {
                writers.shutdownNow();
            }
            awaitProjections(store);

            List<Long> expected = LongStream.rangeClosed(1, eventsPerStream).boxed().toList();
            assertThat(seen).hasSize(streams);
            assertThat(seen.values()).allSatisfy(versions -> assertThat(versions).isEqualTo(expected));
        }
    }

    /** The handlers of a store closed with queued projections have run by the time close returns. */
    @Nested
    class Closing_the_store {

        @Test
        void waits_for_queued_projections() {
            EventStore<TestEvent> closing = openStore(builder -> builder);
            List<String> handled = new CopyOnWriteArrayList<>();
            closing.projector().on(PostCreated.class, record -> {
                Thread.sleep(20);
                handled.add(record.stream());
            });
            for (int i = 0; i < 5; i++) {
                closing.append("post-" + i, postCreated("user-1", "Post " + i));
            }

            closing.close();

            assertThat(handled).containsExactlyInAnyOrder("post-0", "post-1", "post-2", "post-3", "post-4");
        }
    }
}
