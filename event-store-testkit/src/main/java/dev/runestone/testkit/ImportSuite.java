package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.activated;
import static dev.runestone.testkit.events.TestEvents.emailSet;
import static dev.runestone.testkit.events.TestEvents.givenNameSet;
import static dev.runestone.testkit.events.TestEvents.postCreated;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.runestone.DuplicateEventIdException;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.ImportResult;
import dev.runestone.Relation;
import dev.runestone.Snapshot;
import dev.runestone.Target;
import dev.runestone.clock.HlcTimestamp;
import dev.runestone.projector.Effects;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.subscription.StartFrom;
import dev.runestone.subscription.Subscription;
import dev.runestone.testkit.events.TestEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Importing events from another store: ids, {@code created} and content kept; events already here skipped, so
 * importing a batch twice changes nothing; the original library's {@code outdated} rule; delivery to the projector
 * and to durable subscriptions as hydrated or outdated; the clock moved past imported events; and snapshots an
 * imported event makes stale dropped, of its stream and of every relation key holding it. Two stores on separate
 * storage play the source and this store.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ImportSuite extends SuiteBase {

    /** The store the events come from, on storage of its own. */
    EventStore<TestEvent> source;

    @BeforeEach
    void openSource() {
        source = openStore(builder -> builder);
    }

    EventRecord<TestEvent> appendAtSource(String stream, TestEvent event) {
        return source.append(stream, event).records().getFirst();
    }

    /** The same id, stream, type and created as {@code record}, with another email. */
    static EventRecord<TestEvent> otherContent(EventRecord<TestEvent> record) {
        return new EventRecord<>(record.id(), record.stream(), record.type(),
                userCreated("Jane", "Doe", "someone.else@example.com"), record.created(), record.recorded(),
                record.version(), record.position());
    }

    /** Appends here an event made after {@code seen}, as a store that synced it would. */
    EventRecord<TestEvent> appendHereAfter(EventRecord<TestEvent> seen, String stream, TestEvent event) {
        store.clock().update(seen.created());
        return store.append(stream, event).records().getFirst();
    }

    @Nested
    class Imported_events {

        @Test
        void keep_their_ids_created_and_content_and_get_versions_and_positions_of_this_store() {
            EventRecord<TestEvent> here = store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"))
                    .records().getFirst();
            List<EventRecord<TestEvent>> made = new ArrayList<>(source.append("user-1",
                    List.of(givenNameSet("Janet"), activated())).records());
            made.add(appendAtSource("post-1", postCreated("user-1", "First")));

            ImportResult<TestEvent> result = store.importEvents(made);

            assertThat(result.imported())
                    .extracting(EventRecord::id, EventRecord::stream, EventRecord::type, EventRecord::event,
                            EventRecord::created)
                    .containsExactlyElementsOf(made.stream().map(record -> tuple(record.id(), record.stream(),
                            record.type(), record.event(), record.created())).toList());
            assertThat(result.imported()).extracting(EventRecord::version).containsExactly(2L, 3L, 1L);
            assertThat(result.imported()).extracting(EventRecord::position)
                    .allSatisfy(position -> assertThat(position).isGreaterThan(here.position())).isSorted();
            assertThat(result.skipped()).isEmpty();
            assertThat(result.outdated()).isEmpty();
            assertThat(log(store)).containsExactlyElementsOf(SubscriptionSuite.concat(List.of(here),
                    result.imported()));
            for (EventRecord<TestEvent> record : result.imported()) {
                assertThat(store.find(record.id())).contains(record);
            }
        }

        @Test
        void already_here_are_skipped_and_the_rest_imported() {
            List<EventRecord<TestEvent>> made = source.append("user-1", List.of(userCreated("Jane", "Doe",
                    "jane@example.com"), givenNameSet("Janet"), activated())).records();
            store.importEvents(made.subList(0, 1));

            ImportResult<TestEvent> result = store.importEvents(made);

            assertThat(result.skipped()).containsExactly(made.getFirst().id());
            assertThat(result.imported()).extracting(EventRecord::id)
                    .containsExactly(made.get(1).id(), made.get(2).id());
            assertThat(store.read("user-1")).extracting(EventRecord::id).containsExactlyElementsOf(
                    SubscriptionSuite.ids(made));
        }

        @Test
        void given_twice_in_one_batch_are_imported_once() {
            EventRecord<TestEvent> made = appendAtSource("user-1", userCreated("Jane", "Doe", "jane@example.com"));

            ImportResult<TestEvent> result = store.importEvents(List.of(made, made));

            assertThat(result.imported()).extracting(EventRecord::id).containsExactly(made.id());
            assertThat(result.skipped()).containsExactly(made.id());
            assertThat(log(store)).hasSize(1);
        }

        @Test
        void with_an_id_stored_here_with_other_content_fail_the_import_and_write_nothing() {
            EventRecord<TestEvent> made = appendAtSource("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            store.importEvents(List.of(made));
            EventRecord<TestEvent> fresh = appendAtSource("user-2", userCreated("Ann", "Lee", "ann@example.com"));
            List<EventRecord<TestEvent>> before = log(store);

            assertThatThrownBy(() -> store.importEvents(List.of(fresh, otherContent(made))))
                    .isInstanceOf(DuplicateEventIdException.class)
                    .hasMessageContaining(made.id().toString());
            assertThat(log(store)).isEqualTo(before);
        }

        @Test
        void given_twice_in_one_batch_with_other_content_fail_the_import_and_write_nothing() {
            EventRecord<TestEvent> made = appendAtSource("user-1", userCreated("Jane", "Doe", "jane@example.com"));

            assertThatThrownBy(() -> store.importEvents(List.of(made, otherContent(made))))
                    .isInstanceOf(DuplicateEventIdException.class);
            assertThat(log(store)).isEmpty();
        }

        @Test
        void imported_twice_change_nothing_the_second_time() throws Exception {
            List<EventRecord<TestEvent>> made = source.append("user-1", List.of(userCreated("Jane", "Doe",
                    "jane@example.com"), givenNameSet("Janet"))).records();
            store.importEvents(made);
            List<EventRecord<TestEvent>> before = log(store);
            List<UUID> projected = new CopyOnWriteArrayList<>();
            store.projector().all(TestEvent.class, record -> projected.add(record.id()));

            ImportResult<TestEvent> again = store.importEvents(made);
            awaitProjections(store);

            assertThat(again.imported()).isEmpty();
            assertThat(again.skipped()).containsExactlyInAnyOrderElementsOf(SubscriptionSuite.ids(made));
            assertThat(again.outdated()).isEmpty();
            assertThat(log(store)).isEqualTo(before);
            assertThat(projected).isEmpty();
        }
    }

    @Nested
    class Outdated_events {

        @Test
        void are_those_whose_stream_here_holds_a_newer_event_of_their_type() {
            EventRecord<TestEvent> olderHere = store.append("user-3", givenNameSet("Al")).records().getFirst();
            source.clock().update(olderHere.created());
            EventRecord<TestEvent> older = appendAtSource("user-1", givenNameSet("Jo"));
            EventRecord<TestEvent> otherType = appendAtSource("user-1", emailSet("jo@example.com"));
            EventRecord<TestEvent> otherStream = appendAtSource("user-2", givenNameSet("Bo"));
            EventRecord<TestEvent> newerThanHere = appendAtSource("user-3", givenNameSet("Cy"));
            appendHereAfter(newerThanHere, "user-1", givenNameSet("Janet"));

            ImportResult<TestEvent> result = store.importEvents(List.of(older, otherType, otherStream,
                    newerThanHere));

            assertThat(result.imported()).hasSize(4);
            assertThat(result.outdated()).containsExactly(older.id());
        }

        @Test
        void are_also_those_after_which_the_same_batch_already_brought_a_newer_event_of_their_type() {
            EventRecord<TestEvent> older = appendAtSource("user-1", givenNameSet("Jo"));
            EventRecord<TestEvent> newer = appendAtSource("user-1", givenNameSet("Janet"));
            EventStore<TestEvent> inOrder = openStore(builder -> builder);

            ImportResult<TestEvent> newestFirst = store.importEvents(List.of(newer, older));
            ImportResult<TestEvent> oldestFirst = inOrder.importEvents(List.of(older, newer));

            assertThat(newestFirst.outdated()).containsExactly(older.id());
            assertThat(oldestFirst.outdated()).isEmpty();
        }
    }

    @Nested
    class Delivery {

        /** An event here, and two from the source: one up to date here, one outdated by the event here. */
        record Arrivals(EventRecord<TestEvent> hydrated, EventRecord<TestEvent> outdated,
                EventRecord<TestEvent> live) {
        }

        Arrivals importTwoAfterOneHere() {
            EventRecord<TestEvent> hydrated = appendAtSource("user-2", userCreated("Bo", "Bo", "bo@example.com"));
            EventRecord<TestEvent> outdated = appendAtSource("user-1", givenNameSet("Jo"));
            EventRecord<TestEvent> live = appendHereAfter(outdated, "user-1", givenNameSet("Janet"));
            ImportResult<TestEvent> result = store.importEvents(List.of(hydrated, outdated));
            assertThat(result.outdated()).containsExactly(outdated.id());
            return new Arrivals(hydrated, outdated, live);
        }

        @Test
        void to_the_projector_is_hydrated_or_outdated_so_once_handlers_skip_imported_events() throws Exception {
            Map<UUID, Set<String>> seen = new ConcurrentHashMap<>();
            store.projector().once(TestEvent.class, record -> seen.computeIfAbsent(record.id(),
                    id -> ConcurrentHashMap.newKeySet()).add("once"),
                    Effects.of((record, result) -> { }, (record, error) -> { }));
            store.projector().on(TestEvent.class, record -> seen.computeIfAbsent(record.id(),
                    id -> ConcurrentHashMap.newKeySet()).add("on"));
            store.projector().all(TestEvent.class, record -> seen.computeIfAbsent(record.id(),
                    id -> ConcurrentHashMap.newKeySet()).add("all"));

            Arrivals arrivals = importTwoAfterOneHere();
            awaitProjections(store);

            assertThat(seen.get(arrivals.live().id())).as("live").containsExactlyInAnyOrder("once", "on", "all");
            assertThat(seen.get(arrivals.hydrated().id())).as("hydrated").containsExactlyInAnyOrder("on", "all");
            assertThat(seen.get(arrivals.outdated().id())).as("outdated").containsExactly("all");
        }

        @Test
        void to_a_durable_subscription_is_hydrated_or_outdated() throws Exception {
            Map<UUID, ProjectionStatus> delivered = new ConcurrentHashMap<>();
            Subscription<TestEvent> subscription = start(store.subscribe("imports").from(StartFrom.END)
                    .handler((record, status) -> delivered.put(record.id(), status)));
            await("the subscription holds its partition", () -> subscription.heldPartitions().size() == 1);

            Arrivals arrivals = importTwoAfterOneHere();
            await("the subscription gets all three events", () -> delivered.size() >= 3);

            assertThat(delivered).containsOnly(Map.entry(arrivals.live().id(), ProjectionStatus.LIVE),
                    Map.entry(arrivals.hydrated().id(), ProjectionStatus.HYDRATED),
                    Map.entry(arrivals.outdated().id(), ProjectionStatus.OUTDATED));
        }
    }

    @Nested
    class The_clock {

        @Test
        void moves_past_imported_events_so_events_made_here_afterwards_sort_after_them() {
            // The source's clock runs a minute ahead: without the import, this store's would stamp earlier times.
            source.clock().update(new HlcTimestamp(store.clock().last().time() + 60_000, 0));
            EventRecord<TestEvent> imported = appendAtSource("user-1", givenNameSet("Jo"));

            store.importEvents(List.of(imported));
            EventRecord<TestEvent> madeHere = store.append("user-1", givenNameSet("Janet")).records().getFirst();

            assertThat(store.clock().last().isAfter(imported.created())).isTrue();
            assertThat(madeHere.created().isAfter(imported.created())).isTrue();
            assertThat(store.read("user-1")).extracting(EventRecord::id)
                    .containsExactly(imported.id(), madeHere.id());
        }
    }

    @Nested
    class Stale_snapshots {

        @Test
        void of_the_stream_of_an_older_imported_event_are_dropped_so_the_next_reduce_folds_it_in() {
            EventRecord<TestEvent> older = appendAtSource("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            appendHereAfter(older, "user-1", givenNameSet("Janet"));
            store.append("user-2", givenNameSet("Bo"));
            store.snapshots().create(UserView.REDUCER, Target.stream("user-1"));
            store.snapshots().create(UserView.REDUCER, Target.stream("user-2"));
            Optional<Snapshot<UserView>> unrelated = store.snapshots().get(UserView.REDUCER, Target.stream("user-2"));
            assertThat(store.snapshots().get(UserView.REDUCER, Target.stream("user-1"))).isPresent();

            store.importEvents(List.of(older));

            assertThat(store.snapshots().get(UserView.REDUCER, Target.stream("user-1"))).isEmpty();
            assertThat(store.reduce(UserView.REDUCER, "user-1")).hasValueSatisfying(user -> {
                assertThat(user.folded()).containsExactly("user:created", "user:name:given-set");
                assertThat(user.name()).isEqualTo("Janet Doe");
            });
            assertThat(store.snapshots().get(UserView.REDUCER, Target.stream("user-2"))).isEqualTo(unrelated);
        }

        @Test
        void of_a_relation_holding_the_stream_of_an_older_imported_event_are_dropped_so_the_next_reduce_folds_it_in() {
            EventRecord<TestEvent> older = appendAtSource("post-1", postCreated("user-1", "First"));
            appendHereAfter(older, "post-2", postCreated("user-1", "Second"));
            store.append("post-3", postCreated("user-2", "Elsewhere"));
            store.relations().add(List.of(new Relation("user-1:posts", "post-1"),
                    new Relation("user-1:posts", "post-2"), new Relation("user-2:posts", "post-3")));
            store.snapshots().create(PostTitles.REDUCER, Target.relation("user-1:posts"));
            store.snapshots().create(PostTitles.REDUCER, Target.relation("user-2:posts"));
            Optional<Snapshot<PostTitles>> unrelated = store.snapshots().get(PostTitles.REDUCER,
                    Target.relation("user-2:posts"));
            assertThat(store.snapshots().get(PostTitles.REDUCER, Target.relation("user-1:posts")))
                    .hasValueSatisfying(snapshot -> assertThat(snapshot.state().titles()).containsExactly("Second"));

            store.importEvents(List.of(older));

            assertThat(store.snapshots().get(PostTitles.REDUCER, Target.relation("user-1:posts"))).isEmpty();
            assertThat(store.reduce(PostTitles.REDUCER, Target.relation("user-1:posts")))
                    .hasValue(new PostTitles(List.of("First", "Second")));
            assertThat(store.snapshots().get(PostTitles.REDUCER, Target.relation("user-2:posts")))
                    .isEqualTo(unrelated);
        }

        @Test
        void whose_cursor_is_before_the_imported_event_are_kept_and_fold_it_in_after_their_cursor() {
            EventRecord<TestEvent> here = store.append("post-2", postCreated("user-1", "Second")).records()
                    .getFirst();
            store.relations().add(List.of(new Relation("user-1:posts", "post-1"),
                    new Relation("user-1:posts", "post-2")));
            store.snapshots().create(PostTitles.REDUCER, Target.relation("user-1:posts"));
            Optional<Snapshot<PostTitles>> ofRelation = store.snapshots().get(PostTitles.REDUCER,
                    Target.relation("user-1:posts"));
            source.clock().update(here.created());
            EventRecord<TestEvent> newer = appendAtSource("post-1", postCreated("user-1", "Third"));

            store.importEvents(List.of(newer));

            assertThat(store.snapshots().get(PostTitles.REDUCER, Target.relation("user-1:posts")))
                    .isPresent().isEqualTo(ofRelation);
            assertThat(store.reduce(PostTitles.REDUCER, Target.relation("user-1:posts")))
                    .hasValue(new PostTitles(List.of("Second", "Third")));
        }
    }
}
