package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.activated;
import static dev.runestone.testkit.events.TestEvents.emailSet;
import static dev.runestone.testkit.events.TestEvents.postCreated;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.AppendResult;
import dev.runestone.ConcurrencyException;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.EventValidationException;
import dev.runestone.ExpectedVersion;
import dev.runestone.PendingEvent;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserCreated;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The store's hooks: the after-insert hook sees what each append committed, and the error hook receives what the
 * after-insert hook and projection handlers throw, while the append stands.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class HookSuite extends SuiteBase {

    /** One call of the after-insert hook: the records, what the store read back meanwhile, and the thread. */
    record Insert(List<EventRecord<TestEvent>> records, List<EventRecord<TestEvent>> readInside, Thread thread) {
    }

    final List<Insert> inserts = new CopyOnWriteArrayList<>();
    final List<Failure> failures = new CopyOnWriteArrayList<>();
    final AtomicBoolean failInsertHook = new AtomicBoolean();

    @Override
    EventStore.Builder<TestEvent> configure(EventStore.Builder<TestEvent> builder) {
        return builder
                .afterInsert(records -> {
                    String stream = records.getFirst().stream();
                    inserts.add(new Insert(records, store.read(stream), Thread.currentThread()));
                    if (failInsertHook.get()) {
                        throw new IllegalStateException("outbox unavailable");
                    }
                })
                .onError((error, record) -> failures.add(new Failure(error, record)));
    }

    @Nested
    class The_after_insert_hook {

        @Test
        void sees_the_committed_records_on_the_appending_thread() {
            AppendResult<TestEvent> result = store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));

            assertThat(inserts).singleElement().satisfies(insert -> {
                assertThat(insert.records()).isEqualTo(result.records());
                assertThat(insert.readInside()).as("the events are committed when the hook runs")
                        .isEqualTo(result.records());
                assertThat(insert.thread()).isSameAs(Thread.currentThread());
            });
        }

        @Test
        void is_called_once_per_append_with_all_of_its_events() {
            AppendResult<TestEvent> result = store.batch()
                    .add("user-1", userCreated("Jane", "Doe", "jane@example.com"))
                    .add("post-1", postCreated("user-1", "Hello"))
                    .add("user-1", activated())
                    .commit();
            store.append("user-1", emailSet("jd@example.com"));

            assertThat(inserts).hasSize(2);
            assertThat(inserts.getFirst().records()).isEqualTo(result.records());
            assertThat(inserts.get(1).records()).extracting(EventRecord::version).containsExactly(3L);
        }

        @Test
        void is_called_for_aggregate_saves() {
            TestUser user = store.create(TestUser.REDUCER, "user-1");
            user.create("Jane", "Doe", "jane@example.com");

            AppendResult<TestEvent> result = user.save();

            assertThat(inserts).singleElement().satisfies(insert ->
                    assertThat(insert.records()).isEqualTo(result.records()));
        }

        @Test
        void is_not_called_when_an_append_is_refused() {
            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            inserts.clear();

            assertThatThrownBy(() -> store.append("user-1", ExpectedVersion.noStream(), activated()))
                    .isInstanceOf(ConcurrencyException.class);
            assertThatThrownBy(() -> store.append("user-1", emailSet("not an email")))
                    .isInstanceOf(EventValidationException.class);

            assertThat(inserts).isEmpty();
        }

        @Test
        void is_not_called_when_every_event_was_already_stored() {
            PendingEvent<TestEvent> made = store.event("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            store.append(List.of(made));
            inserts.clear();

            store.append(List.of(made));

            assertThat(inserts).isEmpty();
        }

        @Test
        void that_fails_reports_to_the_error_hook_and_the_append_stands() {
            failInsertHook.set(true);

            AppendResult<TestEvent> result = store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));

            assertThat(result.records()).hasSize(1);
            assertThat(store.read("user-1")).isEqualTo(result.records());
            assertThat(failures).singleElement().satisfies(failure -> {
                assertThat(failure.error()).isInstanceOf(IllegalStateException.class).hasMessage("outbox unavailable");
                assertThat(failure.record()).isNull();
            });
        }

        @Test
        void that_fails_does_not_stop_later_appends_or_projections() throws InterruptedException {
            List<String> projected = new CopyOnWriteArrayList<>();
            store.projector().on(UserCreated.class, record -> projected.add(record.stream()));
            failInsertHook.set(true);
            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            failInsertHook.set(false);

            store.append("user-2", userCreated("John", "Roe", "john@example.com"));
            awaitProjections(store);

            assertThat(inserts).hasSize(2);
            assertThat(failures).hasSize(1);
            assertThat(projected).containsExactlyInAnyOrder("user-1", "user-2");
        }
    }

    @Nested
    class The_error_hook {

        @Test
        void receives_projection_failures_with_their_record() throws InterruptedException {
            store.projector().on(UserCreated.class, record -> {
                throw new IllegalStateException("projection failed");
            });

            AppendResult<TestEvent> result = store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            awaitProjections(store);

            assertThat(failures).singleElement().satisfies(failure -> {
                assertThat(failure.error()).hasMessage("projection failed");
                assertThat(failure.record()).isEqualTo(result.records().getFirst());
            });
        }

        @Test
        void that_throws_itself_leaves_the_store_working() throws InterruptedException {
            List<String> projected = new CopyOnWriteArrayList<>();
            EventStore<TestEvent> fragile = openStore(builder -> builder
                    .afterInsert(records -> {
                        throw new IllegalStateException("hook failed");
                    })
                    .onError((error, record) -> {
                        throw new IllegalStateException("error hook failed too");
                    }));
            fragile.projector().on(UserCreated.class, record -> {
                projected.add(record.stream());
                throw new IllegalStateException("projection failed");
            });

            AppendResult<TestEvent> first = fragile.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            AppendResult<TestEvent> second = fragile.append("user-2", userCreated("John", "Roe", "john@example.com"));
            awaitProjections(fragile);

            assertThat(fragile.read("user-1")).isEqualTo(first.records());
            assertThat(fragile.read("user-2")).isEqualTo(second.records());
            assertThat(projected).containsExactlyInAnyOrder("user-1", "user-2");
        }
    }
}
