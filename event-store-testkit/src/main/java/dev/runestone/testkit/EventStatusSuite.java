package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.activated;
import static dev.runestone.testkit.events.TestEvents.emailSet;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventRecord;
import dev.runestone.EventStatus;
import dev.runestone.EventStore;
import dev.runestone.PendingEvent;
import dev.runestone.ReadOptions;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserEmailSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The status of an event arriving from another store: {@code exists} when its id is stored here, {@code outdated}
 * when it exists or its stream here holds a newer event of the same type, by {@code created}. Two stores on separate
 * storage play the remote and the local side.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class EventStatusSuite extends SuiteBase {

    /** Another store, on its own storage, whose events arrive here. */
    EventStore<TestEvent> remote;

    @BeforeEach
    void openRemote() {
        remote = openStore(builder -> builder);
    }

    EventRecord<TestEvent> appendRemotely(String stream, TestEvent event) {
        return remote.append(stream, event).records().getFirst();
    }

    /** Appends here an event made after {@code seen}, as a store that synced it would. */
    EventRecord<TestEvent> appendHereAfter(EventRecord<TestEvent> seen, String stream, TestEvent event) {
        store.clock().update(seen.created());
        return store.append(stream, event).records().getFirst();
    }

    @Nested
    class An_event_stored_here {

        @Test
        void exists_and_counts_as_outdated() {
            EventRecord<TestEvent> record = store.append("user-1", emailSet("jane@example.com")).records().getFirst();

            assertThat(store.status(record)).isEqualTo(new EventStatus(true, true));
        }

        @Test
        void exists_once_imported_with_its_id_and_created() {
            EventRecord<TestEvent> arriving = appendRemotely("user-1", userCreated("Jane", "Doe", "jane@example.com"));

            EventRecord<TestEvent> imported = store.append(List.of(arriving.toPending())).records().getFirst();

            assertThat(imported.id()).isEqualTo(arriving.id());
            assertThat(imported.created()).isEqualTo(arriving.created());
            assertThat(imported.event()).isEqualTo(arriving.event());
            assertThat(store.status(arriving)).isEqualTo(new EventStatus(true, true));
        }
    }

    @Nested
    class An_event_from_another_store {

        @Test
        void is_new_when_its_stream_is_unknown_here() {
            EventRecord<TestEvent> arriving = appendRemotely("user-1", emailSet("jane@example.com"));

            assertThat(store.status(arriving)).isEqualTo(new EventStatus(false, false));
        }

        @Test
        void is_outdated_when_its_stream_here_holds_a_newer_event_of_its_type() {
            EventRecord<TestEvent> arriving = appendRemotely("user-1", emailSet("old@example.com"));
            appendHereAfter(arriving, "user-1", emailSet("new@example.com"));

            assertThat(store.status(arriving)).isEqualTo(new EventStatus(false, true));
        }

        @Test
        void is_not_outdated_by_a_newer_event_of_another_type() {
            EventRecord<TestEvent> arriving = appendRemotely("user-1", emailSet("jane@example.com"));
            appendHereAfter(arriving, "user-1", activated());

            assertThat(store.status(arriving)).isEqualTo(new EventStatus(false, false));
        }

        @Test
        void is_not_outdated_by_an_older_event_of_its_type() {
            EventRecord<TestEvent> older = store.append("user-1", emailSet("old@example.com")).records().getFirst();
            remote.clock().update(older.created());
            EventRecord<TestEvent> arriving = appendRemotely("user-1", emailSet("new@example.com"));

            assertThat(store.status(arriving)).isEqualTo(new EventStatus(false, false));
        }

        @Test
        void is_not_outdated_by_a_newer_event_of_its_type_in_another_stream() {
            EventRecord<TestEvent> arriving = appendRemotely("user-1", emailSet("jane@example.com"));
            appendHereAfter(arriving, "user-2", emailSet("john@example.com"));

            assertThat(store.status(arriving)).isEqualTo(new EventStatus(false, false));
        }
    }

    @Nested
    class Syncing {

        @Test
        void imports_only_the_events_that_do_not_exist_here_and_keeps_their_order_by_created() {
            EventRecord<TestEvent> first = appendRemotely("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            store.append(List.of(first.toPending()));
            EventRecord<TestEvent> stale = appendRemotely("user-1", emailSet("old@example.com"));
            appendHereAfter(stale, "user-1", emailSet("new@example.com"));

            List<PendingEvent<TestEvent>> imports = new ArrayList<>();
            List<EventStatus> statuses = new ArrayList<>();
            for (EventRecord<TestEvent> arriving : remote.read("user-1")) {
                EventStatus status = store.status(arriving);
                statuses.add(status);
                if (!status.exists()) {
                    imports.add(arriving.toPending());
                }
            }
            store.append(imports);

            assertThat(statuses).containsExactly(new EventStatus(true, true), new EventStatus(false, true));
            assertThat(store.read("user-1")).extracting(EventRecord::type)
                    .containsExactly("user:created", "user:email-set", "user:email-set");
            assertThat(store.read("user-1", ReadOptions.defaults().types(UserEmailSet.class)))
                    .extracting(record -> ((UserEmailSet) record.event()).data())
                    .containsExactly("old@example.com", "new@example.com");
            assertThat(store.status(stale)).isEqualTo(new EventStatus(true, true));
        }
    }
}
