package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.activated;
import static dev.runestone.testkit.events.TestEvents.emailSet;
import static dev.runestone.testkit.events.TestEvents.givenNameSet;
import static dev.runestone.testkit.events.TestEvents.postCreated;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.AppendResult;
import dev.runestone.ConcurrencyException;
import dev.runestone.EventOrigin;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.ExpectedVersion;
import dev.runestone.PendingEvent;
import dev.runestone.ReadOptions;
import dev.runestone.StoreClosedException;
import dev.runestone.clock.HlcTimestamp;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserCreated;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Appending: one event, many events, made events, expected versions and idempotent retries. The original library's
 * "add one event", "add many events" and "make event" scenarios.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class AppendSuite extends SuiteBase {

    private static final UserCreated JANE = userCreated("Jane", "Doe", "jane@example.com");

    @Nested
    class Adding_one_event {

        @Test
        void stores_it_as_version_1_of_a_new_stream() {
            AppendResult<TestEvent> result = store.append("user-1", JANE);

            assertThat(result.records()).singleElement().satisfies(record -> {
                assertThat(record.stream()).isEqualTo("user-1");
                assertThat(record.type()).isEqualTo("user:created");
                assertThat(record.event()).isEqualTo(JANE);
                assertThat(record.version()).isEqualTo(1);
                assertThat(record.position()).isPositive();
            });
            assertThat(result.duplicates()).isEmpty();
            assertThat(result.nothingWritten()).isFalse();
            assertThat(store.version("user-1")).isEqualTo(1);
        }

        @Test
        void reads_back_equal_to_what_the_append_returned() {
            AppendResult<TestEvent> result = store.append("user-1", JANE);

            assertThat(store.read("user-1")).containsExactlyElementsOf(result.records());
            assertThat(store.find(result.records().getFirst().id())).contains(result.records().getFirst());
        }

        @Test
        void continues_the_versions_of_an_existing_stream() {
            store.append("user-1", JANE);
            store.append("user-1", givenNameSet("Janet"));

            EventRecord<TestEvent> third = store.append("user-1", activated()).records().getFirst();

            assertThat(third.version()).isEqualTo(3);
            assertThat(store.read("user-1")).extracting(EventRecord::version).containsExactly(1L, 2L, 3L);
        }

        @Test
        void stamps_created_from_the_store_clock() {
            HlcTimestamp before = store.clock().last();

            EventRecord<TestEvent> record = store.append("user-1", JANE).records().getFirst();

            assertThat(record.created()).isGreaterThan(before);
            assertThat(store.clock().last()).isGreaterThanOrEqualTo(record.created());
        }

        @Test
        void stamps_recorded_from_the_store_wall_clock() {
            Instant now = Instant.parse("2031-02-03T04:05:06.123456Z");
            EventStore<TestEvent> fixed = openStore(builder -> builder.wallClock(InstantSource.fixed(now)));

            EventRecord<TestEvent> record = fixed.append("user-1", JANE).records().getFirst();

            assertThat(record.recorded()).isEqualTo(now);
            assertThat(fixed.read("user-1")).extracting(EventRecord::recorded).containsExactly(now);
        }

        @Test
        void gives_the_event_a_new_time_ordered_id() {
            EventRecord<TestEvent> first = store.append("user-1", JANE).records().getFirst();
            EventRecord<TestEvent> second = store.append("user-1", activated()).records().getFirst();

            assertThat(first.id().version()).isEqualTo(7);
            assertThat(second.id()).isNotEqualTo(first.id());
        }

        @Test
        void stores_an_event_without_data_or_meta() {
            store.append("user-1", activated());

            assertThat(store.read("user-1")).singleElement()
                    .satisfies(record -> assertThat(record.event()).isEqualTo(activated()));
        }
    }

    @Nested
    class Adding_many_events {

        @Test
        void stores_them_in_order_with_consecutive_versions() {
            List<TestEvent> events = List.of(JANE, givenNameSet("Janet"), emailSet("janet@example.com"), activated());

            AppendResult<TestEvent> result = store.append("user-1", events);

            assertThat(result.records()).extracting(EventRecord::event).containsExactlyElementsOf(events);
            assertThat(result.records()).extracting(EventRecord::version).containsExactly(1L, 2L, 3L, 4L);
            assertThat(store.read("user-1")).containsExactlyElementsOf(result.records());
        }

        @Test
        void gives_them_increasing_positions_and_created_timestamps() {
            AppendResult<TestEvent> result = store.append("user-1", List.of(JANE, givenNameSet("Janet"), activated()));

            assertThat(result.records()).extracting(EventRecord::position).isSorted().doesNotHaveDuplicates();
            assertThat(result.records()).extracting(EventRecord::created).isSorted().doesNotHaveDuplicates();
        }

        @Test
        void writes_nothing_for_an_empty_list() {
            AppendResult<TestEvent> result = store.append("user-1", List.of());

            assertThat(result.nothingWritten()).isTrue();
            assertThat(store.version("user-1")).isZero();
            assertThat(log(store)).isEmpty();
        }

        @Test
        void gives_positions_in_commit_order_across_streams() {
            long first = store.append("user-1", JANE).records().getFirst().position();
            long second = store.append("user-2", userCreated("John", "Roe", "john@example.com")).records().getFirst()
                    .position();
            long third = store.append("user-1", activated()).records().getFirst().position();

            assertThat(first).isLessThan(second);
            assertThat(second).isLessThan(third);
            assertThat(log(store)).extracting(EventRecord::position).containsExactly(first, second, third);
        }

        @Test
        void stores_a_batch_for_several_streams_in_one_append() {
            AppendResult<TestEvent> result = store.batch()
                    .add("user-1", JANE)
                    .add("post-1", postCreated("user-1", "Hello"))
                    .add("user-1", activated())
                    .commit();

            assertThat(result.records()).extracting(EventRecord::stream).containsExactly("user-1", "post-1", "user-1");
            assertThat(result.records()).extracting(EventRecord::version).containsExactly(1L, 1L, 2L);
            assertThat(log(store)).containsExactlyElementsOf(result.records());
        }
    }

    @Nested
    class Making_events {

        @Test
        void makes_an_event_without_storing_it() {
            PendingEvent<TestEvent> made = store.event("user-1", JANE);

            assertThat(made.stream()).isEqualTo("user-1");
            assertThat(made.type()).isEqualTo("user:created");
            assertThat(made.event()).isEqualTo(JANE);
            assertThat(made.id().version()).isEqualTo(7);
            assertThat(made.created()).isLessThanOrEqualTo(store.clock().last());
            assertThat(store.version("user-1")).isZero();
            assertThat(store.find(made.id())).isEmpty();
        }

        @Test
        void stores_a_made_event_with_its_id_and_created() {
            PendingEvent<TestEvent> made = store.event("user-1", JANE);

            EventRecord<TestEvent> record = store.append(List.of(made)).records().getFirst();

            assertThat(record.id()).isEqualTo(made.id());
            assertThat(record.created()).isEqualTo(made.created());
            assertThat(record.toPending()).usingRecursiveComparison().ignoringFields("origin").isEqualTo(made);
            assertThat(record.toPending().origin()).as("made outside any conversation, it starts one")
                    .isEqualTo(EventOrigin.root(made.id()));
            assertThat(store.find(made.id())).contains(record);
        }

        @Test
        void appends_made_events_of_several_streams_atomically() {
            PendingEvent<TestEvent> user = store.event("user-1", JANE);
            PendingEvent<TestEvent> post = store.event("post-1", postCreated("user-1", "Hello"));

            AppendResult<TestEvent> result = store.append(List.of(user, post));

            assertThat(result.records()).extracting(EventRecord::id).containsExactly(user.id(), post.id());
            assertThat(store.version("user-1")).isEqualTo(1);
            assertThat(store.version("post-1")).isEqualTo(1);
        }

        @Test
        void a_batch_keeps_the_ids_and_created_of_made_events() {
            PendingEvent<TestEvent> first = store.event("user-1", JANE);
            PendingEvent<TestEvent> second = store.event("user-1", activated());

            AppendResult<TestEvent> result = store.batch().addAll(List.of(first, second)).commit();

            assertThat(result.records()).extracting(EventRecord::toPending)
                    .usingRecursiveFieldByFieldElementComparatorIgnoringFields("origin").containsExactly(first, second);
        }

        @Test
        void stores_events_in_the_order_given_even_when_made_in_another_order() {
            PendingEvent<TestEvent> madeFirst = store.event("user-1", JANE);
            PendingEvent<TestEvent> madeSecond = store.event("user-1", activated());

            AppendResult<TestEvent> result = store.append(List.of(madeSecond, madeFirst));

            assertThat(result.records()).extracting(EventRecord::id).containsExactly(madeSecond.id(), madeFirst.id());
            assertThat(result.records()).extracting(EventRecord::version).containsExactly(1L, 2L);
            assertThat(store.read("user-1")).as("reads are in created order")
                    .extracting(EventRecord::id).containsExactly(madeFirst.id(), madeSecond.id());
        }
    }

    @Nested
    class Expected_versions {

        @Test
        void no_stream_accepts_a_new_stream() {
            AppendResult<TestEvent> result = store.append("user-1", ExpectedVersion.noStream(), JANE);

            assertThat(result.records()).extracting(EventRecord::version).containsExactly(1L);
        }

        @Test
        void no_stream_refuses_an_existing_stream_and_writes_nothing() {
            store.append("user-1", JANE);

            assertThatThrownBy(() -> store.append("user-1", ExpectedVersion.noStream(), activated()))
                    .isInstanceOfSatisfying(ConcurrencyException.class, conflict -> {
                        assertThat(conflict.stream()).isEqualTo("user-1");
                        assertThat(conflict.expected()).isEqualTo(ExpectedVersion.noStream());
                        assertThat(conflict.actual()).isEqualTo(1);
                    })
                    .hasMessageContaining("user-1");
            assertThat(store.read("user-1")).extracting(EventRecord::event).containsExactly(JANE);
        }

        @Test
        void exactly_accepts_the_current_version() {
            store.append("user-1", List.of(JANE, givenNameSet("Janet")));

            AppendResult<TestEvent> result = store.append("user-1", ExpectedVersion.exactly(2), activated());

            assertThat(result.records()).extracting(EventRecord::version).containsExactly(3L);
        }

        @Test
        void exactly_refuses_a_stale_version_and_writes_nothing() {
            store.append("user-1", List.of(JANE, givenNameSet("Janet")));

            assertThatThrownBy(() -> store.append("user-1", ExpectedVersion.exactly(1),
                    List.of(activated(), emailSet("janet@example.com"))))
                    .isInstanceOfSatisfying(ConcurrencyException.class,
                            conflict -> assertThat(conflict.actual()).isEqualTo(2));
            assertThat(store.version("user-1")).isEqualTo(2);
            assertThat(log(store)).hasSize(2);
        }

        @Test
        void exactly_refuses_a_version_the_stream_has_not_reached() {
            store.append("user-1", JANE);

            assertThatThrownBy(() -> store.append("user-1", ExpectedVersion.exactly(5), activated()))
                    .isInstanceOf(ConcurrencyException.class);
            assertThat(store.version("user-1")).isEqualTo(1);
        }

        @Test
        void any_accepts_a_stream_at_every_version() {
            store.append("user-1", ExpectedVersion.any(), JANE);
            store.append("user-1", ExpectedVersion.any(), activated());

            assertThat(store.version("user-1")).isEqualTo(2);
        }

        @Test
        void a_batch_with_one_failed_expectation_writes_nothing_to_any_stream() {
            store.append("user-2", userCreated("John", "Roe", "john@example.com"));

            assertThatThrownBy(() -> store.batch()
                    .add("user-1", JANE)
                    .add("user-2", activated())
                    .expect("user-1", ExpectedVersion.noStream())
                    .expect("user-2", ExpectedVersion.noStream())
                    .commit())
                    .isInstanceOfSatisfying(ConcurrencyException.class,
                            conflict -> assertThat(conflict.stream()).isEqualTo("user-2"));
            assertThat(store.version("user-1")).isZero();
            assertThat(store.version("user-2")).isEqualTo(1);
            assertThat(log(store)).hasSize(1);
        }

        @Test
        void an_expectation_for_a_stream_without_events_in_the_append_is_refused() {
            assertThatThrownBy(() -> store.batch()
                    .add("user-1", JANE)
                    .expect("user-2", ExpectedVersion.noStream())
                    .commit())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("user-2");
            assertThat(log(store)).isEmpty();
        }

        @Test
        void a_negative_expected_version_is_refused() {
            assertThatThrownBy(() -> ExpectedVersion.exactly(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Idempotent_appends {

        @Test
        void appending_a_stored_event_again_writes_nothing_and_reports_it_as_a_duplicate() {
            PendingEvent<TestEvent> made = store.event("user-1", JANE);
            store.append(List.of(made));

            AppendResult<TestEvent> again = store.append(List.of(made));

            assertThat(again.nothingWritten()).isTrue();
            assertThat(again.duplicates()).containsExactly(made.id());
            assertThat(log(store)).hasSize(1);
        }

        @Test
        void a_retried_batch_with_expected_versions_is_a_no_op_not_a_conflict() {
            PendingEvent<TestEvent> made = store.event("user-1", JANE);
            store.batch().add(made).expect("user-1", ExpectedVersion.noStream()).commit();

            AppendResult<TestEvent> retried = store.batch().add(made).expect("user-1", ExpectedVersion.noStream())
                    .commit();

            assertThat(retried.nothingWritten()).isTrue();
            assertThat(retried.duplicates()).containsExactly(made.id());
            assertThat(store.version("user-1")).isEqualTo(1);
        }

        @Test
        void a_batch_of_stored_and_new_events_writes_only_the_new_ones() {
            PendingEvent<TestEvent> stored = store.event("user-1", JANE);
            store.append(List.of(stored));
            PendingEvent<TestEvent> fresh = store.event("user-1", activated());

            AppendResult<TestEvent> result = store.batch().add(stored).add(fresh)
                    .expect("user-1", ExpectedVersion.exactly(1)).commit();

            assertThat(result.records()).extracting(EventRecord::id).containsExactly(fresh.id());
            assertThat(result.records()).extracting(EventRecord::version).containsExactly(2L);
            assertThat(result.duplicates()).containsExactly(stored.id());
            assertThat(log(store)).extracting(EventRecord::id).containsExactly(stored.id(), fresh.id());
        }

        @Test
        void the_same_event_twice_in_one_append_is_stored_once() {
            PendingEvent<TestEvent> made = store.event("user-1", JANE);

            AppendResult<TestEvent> result = store.append(List.of(made, made));

            assertThat(result.records()).extracting(EventRecord::id).containsExactly(made.id());
            assertThat(log(store)).hasSize(1);
        }
    }

    @Nested
    class A_closed_store {

        @Test
        void refuses_appends_reads_and_relations() {
            EventStore<TestEvent> closed = openStore(builder -> builder);
            closed.append("user-1", JANE);
            closed.close();

            assertThatThrownBy(() -> closed.append("user-1", activated())).isInstanceOf(StoreClosedException.class);
            assertThatThrownBy(() -> closed.read("user-1")).isInstanceOf(StoreClosedException.class);
            assertThatThrownBy(() -> closed.readAll(ReadOptions.defaults())).isInstanceOf(StoreClosedException.class);
            assertThatThrownBy(() -> closed.version("user-1")).isInstanceOf(StoreClosedException.class);
            assertThatThrownBy(() -> closed.relations().add("user-1:posts", "post-1"))
                    .isInstanceOf(StoreClosedException.class);
            assertThatThrownBy(() -> closed.reduce(UserView.REDUCER, "user-1"))
                    .isInstanceOf(StoreClosedException.class);
        }

        @Test
        void can_be_closed_twice() {
            EventStore<TestEvent> closing = openStore(builder -> builder);
            closing.close();
            closing.close();

            assertThatThrownBy(() -> closing.append("user-1", JANE)).isInstanceOf(StoreClosedException.class);
            assertThat(store.append("user-1", JANE).records()).as("other stores are unaffected").hasSize(1);
        }
    }
}
