package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.activated;
import static dev.runestone.testkit.events.TestEvents.emailSet;
import static dev.runestone.testkit.events.TestEvents.givenNameSet;
import static dev.runestone.testkit.events.TestEvents.postCreated;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.ConcurrencyException;
import dev.runestone.EventDecodingException;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.EventValidationException;
import dev.runestone.ExpectedVersion;
import dev.runestone.PendingEvent;
import dev.runestone.ReadOptions;
import dev.runestone.Reducer;
import dev.runestone.Relation;
import dev.runestone.Snapshot;
import dev.runestone.Target;
import dev.runestone.registry.EventRegistry;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserCreated;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What survives closing the store and opening its storage again: every event exactly as it was (ids, timestamps,
 * versions, positions, payloads), relations, snapshots, and the rules that depend on stored state. Needs a
 * {@link ReopenableFixture}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class DurabilitySuite extends SuiteBase {

    /** The storage of the current test, which outlives each store opened on it. */
    ReopenableFixture.Database database;

    /** Storage that can be closed and opened again. */
    @Override
    protected abstract ReopenableFixture fixture();

    @BeforeEach
    @Override
    void openDefaultStore() {
        database = fixture().createDatabase();
        store = openStore(database.open(), this::configure);
    }

    /** Closes the current store and opens a new one on the same storage. */
    void reopen() {
        store.close();
        store = openStore(database.open(), this::configure);
    }

    /** Writes a bit of everything: several streams, a batch, an imported event, odd text, no-payload events. */
    List<EventRecord<TestEvent>> writeVariety() {
        List<EventRecord<TestEvent>> written = new ArrayList<>();
        written.addAll(store.append("user-1", List.of(userCreated("Jane", "Doe", "jane@example.com"),
                givenNameSet("Janet"))).records());
        written.addAll(store.append("user-2", userCreated("Zoë \"Z\" 🦊", "O'Brien", "zoe@example.com")).records());
        written.addAll(store.batch()
                .add("post-1", postCreated("user-1", "First"))
                .add("post-2", postCreated("user-2", "Second"))
                .add("user-1", emailSet("janet@example.com"))
                .commit().records());
        PendingEvent<TestEvent> made = store.event("user-2", activated());
        written.addAll(store.append(List.of(store.event("user-3", userCreated("Sam", "Poe", "sam@example.com")),
                made)).records());
        written.addAll(store.append(BadInputSuite.HOSTILE, activated()).records());
        return written;
    }

    Map<String, List<EventRecord<TestEvent>>> byStream(List<EventRecord<TestEvent>> records) {
        Map<String, List<EventRecord<TestEvent>>> streams = new LinkedHashMap<>();
        for (EventRecord<TestEvent> record : records) {
            streams.put(record.stream(), store.read(record.stream()));
        }
        return streams;
    }

    @Nested
    class Events {

        @Test
        void read_back_equal_after_reopening() {
            List<EventRecord<TestEvent>> written = writeVariety();
            List<EventRecord<TestEvent>> all = store.readAll(ReadOptions.defaults());
            Map<String, List<EventRecord<TestEvent>>> streams = byStream(written);

            reopen();

            assertThat(log(store)).containsExactlyElementsOf(written);
            assertThat(store.readAll(ReadOptions.defaults())).containsExactlyElementsOf(all);
            assertThat(byStream(written)).isEqualTo(streams);
            for (EventRecord<TestEvent> record : written) {
                assertThat(store.find(record.id())).contains(record);
            }
        }

        @Test
        void keep_their_versions_so_expected_versions_still_hold() {
            store.append("user-1", List.of(userCreated("Jane", "Doe", "jane@example.com"), activated()));

            reopen();

            assertThat(store.version("user-1")).isEqualTo(2);
            assertThatThrownBy(() -> store.append("user-1", ExpectedVersion.noStream(), givenNameSet("Janet")))
                    .isInstanceOf(ConcurrencyException.class);
            assertThatThrownBy(() -> store.append("user-1", ExpectedVersion.exactly(1), givenNameSet("Janet")))
                    .isInstanceOf(ConcurrencyException.class);
            assertThat(store.append("user-1", ExpectedVersion.exactly(2), givenNameSet("Janet")).records())
                    .extracting(EventRecord::version).containsExactly(3L);
        }

        @Test
        void appended_after_reopening_continue_the_positions() {
            List<EventRecord<TestEvent>> before = writeVariety();

            reopen();
            EventRecord<TestEvent> after = store.append("user-9", activated()).records().getFirst();

            assertThat(after.position()).isGreaterThan(before.getLast().position());
            assertThat(log(store)).hasSize(before.size() + 1).last().isEqualTo(after);
            assertThat(store.readLog(before.getLast().position(), 10).events()).containsExactly(after);
        }

        @Test
        void appended_again_after_reopening_are_still_duplicates() {
            PendingEvent<TestEvent> made = store.event("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            store.append(List.of(made));

            reopen();
            var again = store.append(List.of(made));

            assertThat(again.nothingWritten()).isTrue();
            assertThat(again.duplicates()).containsExactly(made.id());
            assertThat(log(store)).hasSize(1);
        }

        @Test
        void refused_before_closing_leave_nothing_behind() {
            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            assertThatThrownBy(() -> store.append("user-1", List.of(activated(), emailSet("broken"))))
                    .isInstanceOf(EventValidationException.class);
            assertThatThrownBy(() -> store.append("user-1", ExpectedVersion.noStream(), activated()))
                    .isInstanceOf(ConcurrencyException.class);

            reopen();

            assertThat(log(store)).extracting(EventRecord::type).containsExactly("user:created");
        }

        @Test
        void survive_several_reopenings() {
            List<EventRecord<TestEvent>> written = new ArrayList<>();
            for (int round = 1; round <= 3; round++) {
                written.addAll(store.append("user-1", givenNameSet("name " + round)).records());
                reopen();
            }

            assertThat(store.read("user-1")).containsExactlyElementsOf(written);
            assertThat(store.read("user-1")).extracting(EventRecord::version).containsExactly(1L, 2L, 3L);
        }

        @Test
        void of_a_type_the_registry_no_longer_knows_fail_to_read_naming_the_event() {
            EventRecord<TestEvent> post = store.append("post-1", postCreated("user-1", "First")).records().getFirst();
            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            store.close();
            EventRegistry<Object> usersOnly = EventRegistry.builder(Object.class)
                    .register(UserCreated.TYPE, UserCreated.class)
                    .build();

            try (EventStore<Object> narrowed = EventStore.builder(usersOnly, database.open()).build()) {
                assertThat(narrowed.read("user-1")).singleElement()
                        .satisfies(record -> assertThat(record.event()).isInstanceOf(UserCreated.class));
                assertThatThrownBy(() -> narrowed.read("post-1"))
                        .isInstanceOf(EventDecodingException.class)
                        .hasMessageContaining(post.id().toString())
                        .hasMessageContaining("post:created");
            }
        }
    }

    @Nested
    class Relations {

        @Test
        void are_kept_after_reopening() {
            store.relations().add(List.of(new Relation("user-1:posts", "post-1"),
                    new Relation("user-1:posts", "post-2"), new Relation("user-2:posts", "post-3"),
                    new Relation("topic:java", "post-1")));
            store.relations().remove("user-1:posts", "post-2");

            reopen();

            assertThat(store.relations().streams("user-1:posts")).containsExactly("post-1");
            assertThat(store.relations().streams("user-2:posts")).containsExactly("post-3");
            assertThat(store.relations().streams("topic:java")).containsExactly("post-1");
        }

        @Test
        void still_group_their_streams_for_reads_and_reduces() {
            store.append("post-1", postCreated("user-1", "First"));
            store.append("post-2", postCreated("user-1", "Second"));
            store.relations().add("user-1:posts", "post-1");
            store.relations().add("user-1:posts", "post-2");
            List<EventRecord<TestEvent>> related = store.readRelations(List.of("user-1:posts"),
                    ReadOptions.defaults());

            reopen();

            assertThat(store.readRelations(List.of("user-1:posts"), ReadOptions.defaults()))
                    .containsExactlyElementsOf(related);
            assertThat(store.reduce(PostTitles.REDUCER, Target.relation("user-1:posts")))
                    .hasValue(new PostTitles(List.of("First", "Second")));
        }
    }

    @Nested
    class Snapshots {

        @Test
        void are_kept_after_reopening_and_a_reduce_resumes_from_them() {
            store.append("user-1", List.of(userCreated("Jane", "Doe", "jane@example.com"), givenNameSet("Janet")));
            AtomicInteger folds = new AtomicInteger();
            Reducer<UserView, TestEvent> reducer = UserView.counting("user-view", folds);
            store.snapshots().create(reducer, Target.stream("user-1"));
            Optional<Snapshot<UserView>> taken = store.snapshots().get(reducer, Target.stream("user-1"));

            reopen();
            store.append("user-1", activated());
            folds.set(0);

            assertThat(store.snapshots().get(reducer, Target.stream("user-1"))).isEqualTo(taken);
            assertThat(store.reduce(reducer, "user-1")).hasValueSatisfying(user -> {
                assertThat(user.name()).isEqualTo("Janet Doe");
                assertThat(user.active()).isTrue();
            });
            assertThat(folds).hasValue(1);
        }

        @Test
        void of_aggregates_restore_them_after_reopening() {
            TestUser user = store.create(TestUser.REDUCER, "user-1");
            user.create("Jane", "Doe", "jane@example.com");
            user.activate();
            user.save();
            user.snapshot();

            reopen();
            TestUser loaded = store.reduce(TestUser.REDUCER, "user-1").orElseThrow();

            assertThat(loaded.folds()).isZero();
            assertThat(loaded.fullName()).isEqualTo("Jane Doe");
            assertThat(loaded.active()).isTrue();
            assertThat(loaded.version()).isEqualTo(2);
        }

        @Test
        void deleted_before_closing_stay_deleted() {
            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            store.snapshots().create(UserView.REDUCER, Target.stream("user-1"));
            store.snapshots().delete(UserView.REDUCER, Target.stream("user-1"));

            reopen();

            assertThat(store.snapshots().get(UserView.REDUCER, Target.stream("user-1"))).isEmpty();
        }
    }
}
