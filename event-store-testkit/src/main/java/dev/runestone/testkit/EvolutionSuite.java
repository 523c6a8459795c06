package dev.runestone.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.LogPage;
import dev.runestone.SnapshotMode;
import dev.runestone.Target;
import dev.runestone.UndecodableEvent;
import dev.runestone.UnknownEventVersionException;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.subscription.ParkedEvent;
import dev.runestone.subscription.Projection;
import dev.runestone.testkit.ProfileHistory.Greeted;
import dev.runestone.testkit.ProfileHistory.GreetedV1;
import dev.runestone.testkit.ProfileHistory.GreetedV2;
import dev.runestone.testkit.ProfileHistory.Name;
import dev.runestone.testkit.ProfileHistory.NameV2;
import dev.runestone.testkit.ProfileHistory.Named;
import dev.runestone.testkit.ProfileHistory.NamedV1;
import dev.runestone.testkit.ProfileHistory.NamedV2;
import dev.runestone.testkit.ProfileHistory.Profile;
import dev.runestone.testkit.ProfileHistory.ProfileAggregate;
import dev.runestone.testkit.ProfileHistory.ProfileEvent;
import dev.runestone.testkit.ProfileHistory.ProfileWithInitials;
import dev.runestone.testkit.ProfileHistory.Release1;
import dev.runestone.testkit.ProfileHistory.Release2;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Event types that change over releases: events written by three releases of a service on one database (see
 * {@link ProfileHistory}) read as today's records through every read path, with the version each was stored at;
 * an older release meets a newer version as a clear error, which its subscriptions park; imported old events read
 * upcast; and a snapshot of another state shape is rebuilt rather than read into the wrong one.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class EvolutionSuite extends SuiteBase {

    /** The database every release of the service shares. */
    StorageAdapter adapter;

    EventStore<Release1> release1;
    EventStore<Release2> release2;
    EventStore<ProfileEvent> today;

    /** What each release wrote to stream {@code p-1}, in order: version 1, version 1, version 2, version 3. */
    EventRecord<Release1> namedAt1;
    EventRecord<Release1> greetedAt1;
    EventRecord<Release2> renamedAt2;
    EventRecord<ProfileEvent> renamedAt3;

    @BeforeEach
    void writeWithEveryRelease() throws InterruptedException {
        adapter = fixture().open();
        release1 = openStore(ProfileHistory.release1(), adapter, builder -> builder);
        release2 = openStore(ProfileHistory.release2(), adapter, builder -> builder);
        today = openStore(ProfileHistory.today(), adapter, builder -> builder.snapshots(SnapshotMode.AUTOMATIC));
        namedAt1 = release1.append("p-1", new NamedV1("Jane Doe")).records().getFirst();
        greetedAt1 = release1.append("p-1", new GreetedV1("hello")).records().getFirst();
        renamedAt2 = release2.append("p-1", new NamedV2(new NameV2("Janet", "Doe"))).records().getFirst();
        renamedAt3 = today.append("p-1", new Named(new Name("Janet", "Doe-Roe", "JD"))).records().getFirst();
        await("the log returns all four events", () -> {
            LogPage<ProfileEvent> page = today.readLog(0, 10);
            return page.events().size() + page.undecodable().size() == 4;
        });
    }

    /** The four events as today's release reads them. */
    List<ProfileEvent> todaysView() {
        return List.of(new Named(new Name("Jane", "Doe", null)), new Greeted("hello"),
                new Named(new Name("Janet", "Doe", null)), new Named(new Name("Janet", "Doe-Roe", "JD")));
    }

    @Nested
    class Today_reads_every_older_version {

        @Test
        void writing_each_event_at_its_release_s_version() {
            assertThat(List.of(namedAt1.schemaVersion(), greetedAt1.schemaVersion(), renamedAt2.schemaVersion(),
                    renamedAt3.schemaVersion())).containsExactly(1, 1, 2, 3);
        }

        @Test
        void through_read_log_read_and_find_as_today_s_records_with_the_version_stored() {
            LogPage<ProfileEvent> log = today.readLog(0, 10);

            assertThat(log.undecodable()).isEmpty();
            assertThat(log.events()).extracting(EventRecord::event).containsExactlyElementsOf(todaysView());
            assertThat(log.events()).extracting(EventRecord::schemaVersion).containsExactly(1, 1, 2, 3);
            assertThat(log.events()).extracting(EventRecord::id)
                    .containsExactly(namedAt1.id(), greetedAt1.id(), renamedAt2.id(), renamedAt3.id());
            // Each release's store has a clock of its own, so read's created order need not be the log's.
            assertThat(today.read("p-1")).containsExactlyInAnyOrderElementsOf(log.events());
            assertThat(today.find(namedAt1.id())).map(EventRecord::event).contains(todaysView().getFirst());
        }

        @Test
        void through_reducers_and_aggregates_which_append_at_today_s_version() {
            assertThat(today.reduce(Profile.REDUCER, "p-1")).contains(new Profile("Janet", "Doe-Roe", "JD", 1));

            ProfileAggregate profile = today.reduce(ProfileAggregate.REDUCER, "p-1").orElseThrow();
            profile.greet("welcome back");
            EventRecord<ProfileEvent> saved = profile.save().records().getFirst();

            assertThat(profile.given()).isEqualTo("Janet");
            assertThat(profile.greetings()).isEqualTo(2);
            assertThat(saved.schemaVersion()).isEqualTo(1);
            assertThat(release1.find(saved.id())).map(EventRecord::event).contains(new GreetedV1("welcome back"));
        }

        @Test
        void through_a_durable_subscription_and_a_projection_on_one() throws Exception {
            Map<UUID, EventRecord<ProfileEvent>> delivered = new ConcurrentHashMap<>();
            List<Named> projected = new CopyOnWriteArrayList<>();
            start(today.subscribe("profiles").handler((record, status) -> delivered.put(record.id(), record)));
            start(today.subscribe("names").projection(Projection.<ProfileEvent>builder()
                    .all(Named.class, record -> projected.add(record.event()))
                    .build()));

            await("both deliver every event", () -> delivered.size() == 4 && projected.size() == 3);

            assertThat(List.of(namedAt1.id(), greetedAt1.id(), renamedAt2.id(), renamedAt3.id()))
                    .extracting(id -> delivered.get(id).event()).containsExactlyElementsOf(todaysView());
            assertThat(projected).containsExactly((Named) todaysView().getFirst(), (Named) todaysView().get(2),
                    (Named) todaysView().get(3));
            assertThat(today.subscriptions().parked("profiles")).isEmpty();
        }
    }

    @Nested
    class An_older_release {

        @Test
        void meets_a_newer_version_as_an_error_naming_type_version_and_stream() {
            assertThatThrownBy(() -> release2.find(renamedAt3.id()))
                    .isInstanceOfSatisfying(UnknownEventVersionException.class, failure -> {
                        assertThat(failure.type()).isEqualTo("profile:named");
                        assertThat(failure.version()).isEqualTo(3);
                        assertThat(failure.knownVersion()).isEqualTo(2);
                    })
                    .hasMessageContaining("'p-1'").hasMessageContaining(renamedAt3.id().toString());
            assertThat(release2.readLog(0, 10).undecodable()).extracting(UndecodableEvent::id)
                    .containsExactly(renamedAt3.id());
        }

        @Test
        void parks_events_of_a_newer_version_in_its_subscriptions_and_goes_on() throws Exception {
            List<EventRecord<Release2>> delivered = new CopyOnWriteArrayList<>();
            EventRecord<ProfileEvent> later = today.append("p-2", new Greeted("hi")).records().getFirst();
            start(release2.subscribe("old-reader").handler((record, status) -> delivered.add(record)));

            await("the checkpoint reaches the end", () ->
                    release2.subscriptions().checkpoint("old-reader") >= later.position());

            assertThat(delivered).extracting(EventRecord::event).containsExactly(
                    new NamedV2(new NameV2("Jane", "Doe")), new GreetedV2("hello"),
                    new NamedV2(new NameV2("Janet", "Doe")), new GreetedV2("hi"));
            assertThat(release2.subscriptions().parked("old-reader")).singleElement().satisfies(parked -> {
                assertThat(parked.eventId()).isEqualTo(renamedAt3.id());
                assertThat(parked.error()).contains(UnknownEventVersionException.class.getName())
                        .contains("version 3");
            });
        }

        @Test
        void has_its_parked_events_delivered_by_the_release_that_knows_them() throws Exception {
            List<EventRecord<ProfileEvent>> delivered = new CopyOnWriteArrayList<>();
            start(release2.subscribe("upgraded").handler((record, status) -> { }));
            await("the newer event is parked", () -> release2.subscriptions().parked("upgraded").size() == 1);
            closeSubscriptions();

            var upgraded = today.subscribe("upgraded").handler((record, status) -> delivered.add(record)).start();
            try {
                assertThat(upgraded.retryParked(renamedAt3.id())).isTrue();
            } finally {
                upgraded.close();
            }

            assertThat(delivered).extracting(EventRecord::event).containsExactly(todaysView().get(3));
            assertThat(today.subscriptions().parked("upgraded")).extracting(ParkedEvent::eventId).isEmpty();
        }
    }

    @Nested
    class Imports {

        @Test
        void of_older_versions_from_another_store_read_as_today_s_records_and_again_change_nothing() {
            EventStore<ProfileEvent> target = openStore(ProfileHistory.today());
            List<EventRecord<ProfileEvent>> fromSource = today.readLog(0, 10).events();

            target.importEvents(fromSource);
            List<EventRecord<ProfileEvent>> imported = target.readLog(0, 10).events();

            assertThat(imported).extracting(EventRecord::event).containsExactlyElementsOf(todaysView());
            assertThat(imported).extracting(EventRecord::schemaVersion).containsExactly(3, 1, 3, 3);
            assertThat(target.importEvents(fromSource).skipped()).hasSize(4);
        }
    }

    @Nested
    class Snapshots {

        @Test
        void of_another_state_shape_are_ignored_and_rebuilt_not_read_into_the_wrong_one() {
            Profile profile = today.reduce(Profile.REDUCER, "p-1").orElseThrow();
            assertThat(today.snapshots().get(Profile.REDUCER, Target.stream("p-1")))
                    .hasValueSatisfying(snapshot -> assertThat(snapshot.state()).isEqualTo(profile));

            ProfileWithInitials widened = today.reduce(ProfileWithInitials.REDUCER, "p-1").orElseThrow();

            assertThat(widened).isEqualTo(new ProfileWithInitials("Janet", "Doe-Roe", "JD", 1, "JD"));
            assertThat(today.snapshots().get(ProfileWithInitials.REDUCER, Target.stream("p-1")))
                    .hasValueSatisfying(snapshot -> assertThat(snapshot.state()).isEqualTo(widened));
            assertThat(today.snapshots().get(Profile.REDUCER, Target.stream("p-1")))
                    .as("the snapshot now holds the other shape").isEmpty();
        }
    }
}
