package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.activated;
import static dev.runestone.testkit.events.TestEvents.emailSet;
import static dev.runestone.testkit.events.TestEvents.givenNameSet;
import static dev.runestone.testkit.events.TestEvents.postCreated;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.PendingEvent;
import dev.runestone.Reducer;
import dev.runestone.Snapshot;
import dev.runestone.SnapshotMode;
import dev.runestone.Target;
import dev.runestone.clock.HlcTimestamp;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserCreated;
import dev.runestone.testkit.events.UserEmailSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Reducers: folding a stream or a relation into state, type filters, and snapshots (manual, automatic, created,
 * read, deleted, and resumed from their cursor). The original library's reducer and snapshot scenarios.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ReducerSuite extends SuiteBase {

    /** A state of another shape than {@link UserView}'s. */
    record Tally(int events) {
    }

    void writeJane() {
        store.append("user-1", List.of(userCreated("Jane", "Doe", "jane@example.com"), givenNameSet("Janet"),
                emailSet("janet@example.com")));
    }

    @Nested
    class Reducing_a_stream {

        @Test
        void folds_its_events_into_state() {
            writeJane();

            assertThat(store.reduce(UserView.REDUCER, "user-1")).hasValueSatisfying(user -> {
                assertThat(user.name()).isEqualTo("Janet Doe");
                assertThat(user.email()).isEqualTo("janet@example.com");
                assertThat(user.folded()).containsExactly("user:created", "user:name:given-set", "user:email-set");
            });
        }

        @Test
        void gives_nothing_for_a_stream_without_events() {
            writeJane();

            assertThat(store.reduce(UserView.REDUCER, "user-404")).isEmpty();
        }

        @Test
        void folds_only_its_own_stream() {
            writeJane();
            store.append("user-2", List.of(userCreated("John", "Roe", "john@example.com"), activated()));

            assertThat(store.reduce(UserView.REDUCER, "user-1")).hasValueSatisfying(user -> {
                assertThat(user.active()).isFalse();
                assertThat(user.folded()).hasSize(3);
            });
        }

        @Test
        void folds_in_created_order_even_when_an_older_event_was_stored_later() {
            PendingEvent<TestEvent> older = store.event("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            PendingEvent<TestEvent> newer = store.event("user-1", emailSet("janet@example.com"));
            store.append(List.of(newer));
            store.append(List.of(older));

            assertThat(store.reduce(UserView.REDUCER, "user-1")).hasValueSatisfying(user -> {
                assertThat(user.folded()).containsExactly("user:created", "user:email-set");
                assertThat(user.email()).isEqualTo("janet@example.com");
            });
        }

        @Test
        void with_a_type_filter_folds_only_those_types() {
            writeJane();
            store.append("user-1", List.of(activated(), emailSet("jd@example.com")));
            AtomicInteger folds = new AtomicInteger();
            Reducer<UserView, TestEvent> emails = UserView.counting("emails", folds).onlyTypes(UserCreated.class,
                    UserEmailSet.class);

            Optional<UserView> user = store.reduce(emails, "user-1");

            assertThat(user).hasValueSatisfying(view -> {
                assertThat(view.folded()).containsExactly("user:created", "user:email-set", "user:email-set");
                assertThat(view.name()).isEqualTo("Jane Doe");
                assertThat(view.active()).isFalse();
            });
            assertThat(folds).hasValue(3);
            assertThat(emails.types()).containsExactlyInAnyOrder(UserCreated.class, UserEmailSet.class);
            assertThat(emails.name()).isEqualTo("emails");
        }

        @Test
        void with_a_type_filter_gives_nothing_when_no_event_has_those_types() {
            store.append("user-1", activated());

            assertThat(store.reduce(UserView.REDUCER.onlyTypes(UserEmailSet.class), "user-1")).isEmpty();
        }
    }

    @Nested
    class Reducing_a_relation {

        @Test
        void folds_the_events_of_every_related_stream_in_created_order() {
            store.append("post-1", postCreated("user-1", "First"));
            store.append("post-9", postCreated("user-9", "Someone else's"));
            store.append("post-2", postCreated("user-1", "Second"));
            store.relations().add("user-1:posts", "post-2");
            store.relations().add("user-1:posts", "post-1");

            assertThat(store.reduce(PostTitles.REDUCER, Target.relation("user-1:posts")))
                    .hasValue(new PostTitles(List.of("First", "Second")));
        }

        @Test
        void gives_nothing_for_a_key_without_streams() {
            store.append("post-1", postCreated("user-1", "First"));

            assertThat(store.reduce(PostTitles.REDUCER, Target.relation("user-404:posts"))).isEmpty();
        }

        @Test
        void resumes_from_a_snapshot_of_the_relation() {
            store.append("post-1", postCreated("user-1", "First"));
            store.relations().add("user-1:posts", "post-1");
            store.snapshots().create(PostTitles.REDUCER, Target.relation("user-1:posts"));
            store.append("post-2", postCreated("user-1", "Second"));
            store.relations().add("user-1:posts", "post-2");

            assertThat(store.reduce(PostTitles.REDUCER, Target.relation("user-1:posts")))
                    .hasValue(new PostTitles(List.of("First", "Second")));
        }
    }

    @Nested
    class Manual_snapshots {

        @Test
        void are_not_taken_by_reducing() {
            writeJane();

            store.reduce(UserView.REDUCER, "user-1");

            assertThat(store.snapshots().get(UserView.REDUCER, Target.stream("user-1"))).isEmpty();
        }

        @Test
        void hold_the_state_the_cursor_and_the_version_of_the_last_event() {
            writeJane();
            EventRecord<TestEvent> last = store.read("user-1").getLast();

            store.snapshots().create(UserView.REDUCER, Target.stream("user-1"));

            Optional<Snapshot<UserView>> snapshot = store.snapshots().get(UserView.REDUCER, Target.stream("user-1"));
            assertThat(snapshot).hasValueSatisfying(taken -> {
                assertThat(taken.reducer()).isEqualTo("user-view");
                assertThat(taken.key()).isEqualTo("user-1");
                assertThat(taken.cursor()).isEqualTo(last.created());
                assertThat(taken.version()).isEqualTo(3);
                assertThat(taken.state()).isEqualTo(store.reduce(UserView.REDUCER, "user-1").orElseThrow());
            });
        }

        @Test
        void are_not_taken_of_a_stream_without_events() {
            store.snapshots().create(UserView.REDUCER, Target.stream("user-404"));

            assertThat(store.snapshots().get(UserView.REDUCER, Target.stream("user-404"))).isEmpty();
        }

        @Test
        void let_a_reduce_fold_only_the_newer_events() {
            writeJane();
            AtomicInteger folds = new AtomicInteger();
            Reducer<UserView, TestEvent> reducer = UserView.counting("user-view", folds);
            store.snapshots().create(reducer, Target.stream("user-1"));
            store.append("user-1", List.of(activated(), emailSet("jd@example.com")));
            folds.set(0);

            Optional<UserView> user = store.reduce(reducer, "user-1");

            assertThat(folds).as("events folded after the snapshot").hasValue(2);
            assertThat(user).hasValueSatisfying(view -> {
                assertThat(view.folded()).containsExactly("user:created", "user:name:given-set", "user:email-set",
                        "user:activated", "user:email-set");
                assertThat(view.active()).isTrue();
                assertThat(view.email()).isEqualTo("jd@example.com");
            });
        }

        @Test
        void give_the_snapshot_state_when_no_event_is_newer() {
            writeJane();
            AtomicInteger folds = new AtomicInteger();
            Reducer<UserView, TestEvent> reducer = UserView.counting("user-view", folds);
            store.snapshots().create(reducer, Target.stream("user-1"));
            folds.set(0);

            assertThat(store.reduce(reducer, "user-1")).hasValueSatisfying(
                    view -> assertThat(view.name()).isEqualTo("Janet Doe"));
            assertThat(folds).hasValue(0);
        }

        @Test
        void are_replaced_by_a_newer_one() {
            writeJane();
            store.snapshots().create(UserView.REDUCER, Target.stream("user-1"));
            store.append("user-1", activated());

            store.snapshots().create(UserView.REDUCER, Target.stream("user-1"));

            assertThat(store.snapshots().get(UserView.REDUCER, Target.stream("user-1"))).hasValueSatisfying(taken -> {
                assertThat(taken.version()).isEqualTo(4);
                assertThat(taken.state().active()).isTrue();
            });
        }

        @Test
        void that_no_longer_fit_the_state_are_ignored_and_every_event_is_folded() {
            writeJane();
            store.snapshots().create(UserView.REDUCER, Target.stream("user-1"));
            // The same reducer name with a state of another shape, as after a change to the state's record.
            Reducer<Tally, TestEvent> reshaped = Reducer.of("user-view", Tally.class, () -> new Tally(0),
                    (tally, record) -> new Tally(tally.events() + 1));
            store.append("user-1", activated());

            assertThat(store.reduce(reshaped, "user-1")).as("all four events, not the snapshot's state")
                    .hasValue(new Tally(4));
            assertThat(store.reduce(reshaped, Target.stream("user-1"))).hasValue(new Tally(4));
        }

        @Test
        void once_deleted_leave_the_reduce_to_fold_every_event() {
            writeJane();
            AtomicInteger folds = new AtomicInteger();
            Reducer<UserView, TestEvent> reducer = UserView.counting("user-view", folds);
            store.snapshots().create(reducer, Target.stream("user-1"));

            store.snapshots().delete(reducer, Target.stream("user-1"));
            folds.set(0);

            assertThat(store.snapshots().get(reducer, Target.stream("user-1"))).isEmpty();
            assertThat(store.reduce(reducer, "user-1")).isPresent();
            assertThat(folds).hasValue(3);
        }

        @Test
        void are_kept_per_reducer_name_and_key() {
            writeJane();
            store.append("user-2", userCreated("John", "Roe", "john@example.com"));
            store.snapshots().create(UserView.REDUCER, Target.stream("user-1"));

            assertThat(store.snapshots().get(UserView.REDUCER, Target.stream("user-2"))).isEmpty();
            assertThat(store.snapshots().get(UserView.counting("other-view", new AtomicInteger()), Target.stream("user-1")))
                    .isEmpty();
        }

        @Test
        void can_be_deleted_when_there_is_none() {
            store.snapshots().delete(UserView.REDUCER, Target.stream("user-404"));

            assertThat(store.snapshots().get(UserView.REDUCER, Target.stream("user-404"))).isEmpty();
        }

        @Test
        void of_a_filtered_reducer_resume_after_the_last_event_it_folded() {
            writeJane();
            Reducer<UserView, TestEvent> emails = UserView.REDUCER.onlyTypes(UserCreated.class, UserEmailSet.class);
            HlcTimestamp lastEmail = store.read("user-1").getLast().created();
            store.append("user-1", activated());

            store.snapshots().create(emails, Target.stream("user-1"));

            assertThat(store.snapshots().get(emails, Target.stream("user-1")))
                    .hasValueSatisfying(taken -> assertThat(taken.cursor()).isEqualTo(lastEmail));
        }
    }

    @Nested
    class Automatic_snapshots {

        EventStore<TestEvent> automatic() {
            return openStore(builder -> builder.snapshots(SnapshotMode.AUTOMATIC));
        }

        @Test
        void are_taken_by_every_reduce_that_folds_an_event() {
            EventStore<TestEvent> automatic = automatic();
            automatic.append("user-1", List.of(userCreated("Jane", "Doe", "jane@example.com"), activated()));

            UserView user = automatic.reduce(UserView.REDUCER, "user-1").orElseThrow();

            assertThat(automatic.snapshots().get(UserView.REDUCER, Target.stream("user-1"))).hasValueSatisfying(
                    taken -> {
                        assertThat(taken.state()).isEqualTo(user);
                        assertThat(taken.version()).isEqualTo(2);
                        assertThat(taken.cursor()).isEqualTo(automatic.read("user-1").getLast().created());
                    });
        }

        @Test
        void make_the_next_reduce_fold_only_newer_events() {
            EventStore<TestEvent> automatic = automatic();
            AtomicInteger folds = new AtomicInteger();
            Reducer<UserView, TestEvent> reducer = UserView.counting("user-view", folds);
            automatic.append("user-1", List.of(userCreated("Jane", "Doe", "jane@example.com"), activated()));
            automatic.reduce(reducer, "user-1");
            automatic.append("user-1", emailSet("jd@example.com"));
            folds.set(0);

            UserView user = automatic.reduce(reducer, "user-1").orElseThrow();

            assertThat(folds).hasValue(1);
            assertThat(user.folded()).containsExactly("user:created", "user:activated", "user:email-set");
            assertThat(automatic.snapshots().get(reducer, Target.stream("user-1")))
                    .hasValueSatisfying(taken -> assertThat(taken.version()).isEqualTo(3));
        }

        @Test
        void are_not_taken_when_nothing_was_folded() {
            EventStore<TestEvent> automatic = automatic();

            assertThat(automatic.reduce(UserView.REDUCER, "user-404")).isEmpty();

            assertThat(automatic.snapshots().get(UserView.REDUCER, Target.stream("user-404"))).isEmpty();
        }
    }
}
