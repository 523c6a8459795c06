package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.activated;
import static dev.runestone.testkit.events.TestEvents.emailSet;
import static dev.runestone.testkit.events.TestEvents.givenNameSet;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.AppendResult;
import dev.runestone.ConcurrencyException;
import dev.runestone.EventRecord;
import dev.runestone.PendingEvent;
import dev.runestone.Target;
import dev.runestone.testkit.events.TestEvent;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Aggregate roots: reducing a stream into an aggregate, pushing and saving new events with optimistic concurrency,
 * saving several aggregates in one transaction, and aggregate snapshots. The original library's aggregate reducer
 * and "push one aggregate" / "push many aggregates" scenarios.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class AggregateSuite extends SuiteBase {

    TestUser createJane(String stream) {
        TestUser user = store.create(TestUser.REDUCER, stream);
        user.create("Jane", "Doe", "jane@example.com");
        user.save();
        return user;
    }

    TestUser load(String stream) {
        return store.reduce(TestUser.REDUCER, stream).orElseThrow();
    }

    @Nested
    class Reducing {

        @Test
        void folds_a_stream_into_an_aggregate() {
            store.append("user-1", List.of(userCreated("Jane", "Doe", "jane@example.com"), givenNameSet("Janet"),
                    activated()));

            TestUser user = load("user-1");

            assertThat(user.fullName()).isEqualTo("Janet Doe");
            assertThat(user.email()).isEqualTo("jane@example.com");
            assertThat(user.active()).isTrue();
            assertThat(user.version()).isEqualTo(3);
            assertThat(user.stream()).isEqualTo("user-1");
            assertThat(user.isDirty()).isFalse();
        }

        @Test
        void gives_nothing_for_a_stream_without_events() {
            assertThat(store.reduce(TestUser.REDUCER, "user-404")).isEmpty();
        }
    }

    @Nested
    class Pushing_one_aggregate {

        @Test
        void a_new_aggregate_starts_empty_at_version_0() {
            TestUser user = store.create(TestUser.REDUCER, "user-1");

            assertThat(user.version()).isZero();
            assertThat(user.isDirty()).isFalse();
            assertThat(user.stream()).isEqualTo("user-1");
            assertThat(store.version("user-1")).isZero();
        }

        @Test
        void folds_pushed_events_at_once_and_keeps_them_pending() {
            TestUser user = store.create(TestUser.REDUCER, "user-1");

            user.create("Jane", "Doe", "jane@example.com");
            user.activate();

            assertThat(user.fullName()).isEqualTo("Jane Doe");
            assertThat(user.active()).isTrue();
            assertThat(user.isDirty()).isTrue();
            assertThat(user.pending()).extracting(PendingEvent::type)
                    .containsExactly("user:created", "user:activated");
            assertThat(user.pending()).extracting(PendingEvent::stream).containsOnly("user-1");
            assertThat(store.version("user-1")).as("nothing is stored before save").isZero();
        }

        @Test
        void saves_its_pending_events_in_one_append() {
            TestUser user = store.create(TestUser.REDUCER, "user-1");
            user.create("Jane", "Doe", "jane@example.com");
            user.activate();
            List<PendingEvent<TestEvent>> pending = user.pending();

            AppendResult<TestEvent> result = user.save();

            assertThat(result.records()).extracting(EventRecord::toPending)
                    .usingRecursiveFieldByFieldElementComparatorIgnoringFields("origin")
                    .containsExactlyElementsOf(pending);
            assertThat(result.records()).extracting(EventRecord::version).containsExactly(1L, 2L);
            assertThat(result.records()).extracting(EventRecord::correlationId).as("one save, one conversation")
                    .containsOnly(pending.getFirst().id().toString());
            assertThat(user.isDirty()).isFalse();
            assertThat(user.pending()).isEmpty();
            assertThat(user.version()).isEqualTo(2);
            assertThat(store.read("user-1")).containsExactlyElementsOf(result.records());
        }

        @Test
        void saves_again_after_a_save() {
            TestUser user = createJane("user-1");

            user.changeEmail("jd@example.com");
            user.save();

            assertThat(user.version()).isEqualTo(2);
            assertThat(load("user-1").email()).isEqualTo("jd@example.com");
        }

        @Test
        void saves_nothing_when_nothing_is_pending() {
            TestUser user = createJane("user-1");

            AppendResult<TestEvent> result = user.save();

            assertThat(result.nothingWritten()).isTrue();
            assertThat(store.version("user-1")).isEqualTo(1);
        }

        @Test
        void continues_a_reduced_aggregate_from_its_version() {
            createJane("user-1");
            TestUser user = load("user-1");

            user.changeGivenName("Janet");
            AppendResult<TestEvent> result = user.save();

            assertThat(result.records()).extracting(EventRecord::version).containsExactly(2L);
            assertThat(load("user-1").fullName()).isEqualTo("Janet Doe");
        }

        @Test
        void refuses_to_save_over_a_stream_that_moved_on_and_writes_nothing() {
            createJane("user-1");
            TestUser stale = load("user-1");
            TestUser fresh = load("user-1");
            fresh.activate();
            fresh.save();

            stale.changeEmail("stale@example.com");

            assertThatThrownBy(stale::save).isInstanceOfSatisfying(ConcurrencyException.class, conflict -> {
                assertThat(conflict.stream()).isEqualTo("user-1");
                assertThat(conflict.actual()).isEqualTo(2);
            });
            assertThat(store.version("user-1")).isEqualTo(2);
            assertThat(load("user-1").email()).isEqualTo("jane@example.com");
            assertThat(stale.isDirty()).as("the refused events stay pending").isTrue();
        }

        @Test
        void creating_an_existing_entity_again_is_refused() {
            createJane("user-1");
            TestUser twin = store.create(TestUser.REDUCER, "user-1");
            twin.create("Jane", "Twin", "twin@example.com");

            assertThatThrownBy(twin::save).isInstanceOf(ConcurrencyException.class);
            assertThat(store.version("user-1")).isEqualTo(1);
        }

        @Test
        void an_aggregate_not_made_by_a_store_cannot_push() {
            TestUser loose = new TestUser();

            assertThatThrownBy(() -> loose.create("Jane", "Doe", "jane@example.com"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("EventStore.create");
        }
    }

    @Nested
    class Pushing_many_aggregates {

        @Test
        void saves_them_in_one_transaction() {
            TestUser jane = store.create(TestUser.REDUCER, "user-1");
            jane.create("Jane", "Doe", "jane@example.com");
            TestUser john = store.create(TestUser.REDUCER, "user-2");
            john.create("John", "Roe", "john@example.com");
            john.activate();

            AppendResult<TestEvent> result = store.save(List.of(jane, john));

            assertThat(result.records()).extracting(EventRecord::stream).containsExactly("user-1", "user-2", "user-2");
            assertThat(jane.version()).isEqualTo(1);
            assertThat(john.version()).isEqualTo(2);
            assertThat(jane.isDirty()).isFalse();
            assertThat(john.isDirty()).isFalse();
            assertThat(log(store)).containsExactlyElementsOf(result.records());
        }

        @Test
        void writes_nothing_when_one_of_them_is_stale() {
            createJane("user-1");
            TestUser stale = load("user-1");
            TestUser concurrent = load("user-1");
            concurrent.activate();
            concurrent.save();
            stale.changeEmail("stale@example.com");
            TestUser john = store.create(TestUser.REDUCER, "user-2");
            john.create("John", "Roe", "john@example.com");

            assertThatThrownBy(() -> store.save(List.of(john, stale))).isInstanceOf(ConcurrencyException.class);
            assertThat(store.version("user-2")).isZero();
            assertThat(store.version("user-1")).isEqualTo(2);
            assertThat(john.isDirty()).isTrue();
        }

        @Test
        void skips_aggregates_with_nothing_pending() {
            TestUser jane = createJane("user-1");
            TestUser john = store.create(TestUser.REDUCER, "user-2");
            john.create("John", "Roe", "john@example.com");

            AppendResult<TestEvent> result = store.save(List.of(jane, john));

            assertThat(result.records()).extracting(EventRecord::stream).containsExactly("user-2");
            assertThat(jane.version()).isEqualTo(1);
        }

        @Test
        void refuses_two_aggregates_of_one_stream() {
            createJane("user-1");
            TestUser first = load("user-1");
            TestUser second = load("user-1");
            first.activate();
            second.changeEmail("jd@example.com");

            assertThatThrownBy(() -> store.save(List.of(first, second)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("user-1");
            assertThat(store.version("user-1")).isEqualTo(1);
        }
    }

    @Nested
    class Snapshots {

        @Test
        void restore_the_fields_and_version_and_fold_only_newer_events() {
            TestUser user = createJane("user-1");
            user.changeGivenName("Janet");
            user.save();
            user.snapshot();
            store.append("user-1", List.of(activated(), emailSet("jd@example.com")));

            TestUser loaded = load("user-1");

            assertThat(loaded.folds()).as("events folded after the snapshot").isEqualTo(2);
            assertThat(loaded.fullName()).isEqualTo("Janet Doe");
            assertThat(loaded.email()).isEqualTo("jd@example.com");
            assertThat(loaded.active()).isTrue();
            assertThat(loaded.version()).isEqualTo(4);
        }

        @Test
        void give_a_loaded_aggregate_that_saves_at_the_right_version() {
            TestUser user = createJane("user-1");
            user.snapshot();

            TestUser loaded = load("user-1");
            loaded.activate();
            AppendResult<TestEvent> result = loaded.save();

            assertThat(loaded.folds()).isEqualTo(1);
            assertThat(result.records()).extracting(EventRecord::version).containsExactly(2L);
        }

        @Test
        void leave_out_transient_fields() {
            TestUser user = createJane("user-1");
            user.snapshot();

            TestUser loaded = load("user-1");

            assertThat(loaded.folds()).isZero();
            assertThat(loaded.fullName()).isEqualTo("Jane Doe");
            assertThat(store.snapshots().get(TestUser.REDUCER, Target.stream("user-1"))).hasValueSatisfying(
                    taken -> assertThat(taken.version()).isEqualTo(1));
        }

        @Test
        void cannot_be_taken_with_pending_events() {
            TestUser user = createJane("user-1");
            user.activate();

            assertThatThrownBy(user::snapshot).isInstanceOf(IllegalStateException.class).hasMessageContaining("save");
            assertThat(store.snapshots().get(TestUser.REDUCER, Target.stream("user-1"))).isEmpty();
        }

        @Test
        void cannot_be_taken_of_an_aggregate_without_stored_events() {
            TestUser user = store.create(TestUser.REDUCER, "user-1");

            assertThatThrownBy(user::snapshot).isInstanceOf(IllegalStateException.class);
        }
    }
}
