package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.activated;
import static dev.runestone.testkit.events.TestEvents.givenNameSet;
import static dev.runestone.testkit.events.TestEvents.postCreated;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.runestone.DuplicateEventIdException;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.EventValidationException;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.ExpectedVersion;
import dev.runestone.PendingEvent;
import dev.runestone.ReadOptions;
import dev.runestone.Reducer;
import dev.runestone.SnapshotMode;
import dev.runestone.Target;
import dev.runestone.UnknownEventTypeException;
import dev.runestone.registry.EventLimits;
import dev.runestone.registry.EventRegistry;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.TestEvents;
import dev.runestone.testkit.events.UserCreated;
import dev.runestone.testkit.events.UserEmailSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What a store refuses, and that it stays whole afterwards: invalid events, unregistered types, null arguments,
 * malformed stream ids, oversized payloads and clashing ids are refused with a clear exception and nothing of their
 * append is stored; hostile text is stored verbatim and stays inert.
 *
 * <p>Its stores use {@link TestEvents#registryWithEmailRule()}: its validator refuses a {@code user:created} whose
 * {@code data.email} is not an email address, which the record itself accepts, so the suite can show what a store
 * does with an event that only the registry refuses.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class BadInputSuite extends SuiteBase {

    /** Text that would end a quoted SQL value and drop the events table if it were ever spliced into SQL. */
    static final String HOSTILE = "x'); DROP TABLE runestone_events; --";

    /** A record no registry knows. */
    record Unregistered(String data) {
    }

    /** The generated records with one more rule, which a store must check before it writes. */
    @Override
    EventRegistry<TestEvent> registry() {
        return TestEvents.registryWithEmailRule();
    }

    /** The store as code that bypasses its type parameter sees it, to hand it a record that is not an event. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static EventStore<Object> untyped(EventStore<TestEvent> store) {
        return (EventStore) store;
    }

    /** Appends and reads back one event, proving a refusal left the store usable. */
    void assertStillUsable() {
        EventRecord<TestEvent> record = store.append("after-refusal", activated()).records().getFirst();
        assertThat(store.read("after-refusal")).last().isEqualTo(record);
        assertThat(store.find(record.id())).contains(record);
    }

    @Nested
    class Invalid_events {

        @Test
        void cannot_be_made_when_they_break_a_rule_of_their_record() {
            assertThatThrownBy(() -> new UserEmailSet("not-an-email", new UserEmailSet.Meta(null)))
                    .isInstanceOfSatisfying(EventValidationException.class, invalid -> {
                        assertThat(invalid.type()).isEqualTo("user:email-set");
                        assertThat(invalid.violations()).extracting(Violation::path, Violation::rule)
                                .containsExactly(tuple("data", "format"),
                                        tuple("meta.auditor", "required"));
                    })
                    .hasMessageContaining("user:email-set")
                    .hasMessageContaining("meta.auditor")
                    .hasMessageContaining("required");
            assertThat(log(store)).isEmpty();
            assertStillUsable();
        }

        @Test
        void are_refused_by_the_registry_validator_before_anything_is_written() {
            assertThatThrownBy(() -> store.append("user-1", userCreated("Jane", "Doe", "not-an-email")))
                    .isInstanceOfSatisfying(EventValidationException.class, invalid -> {
                        assertThat(invalid.type()).isEqualTo("user:created");
                        assertThat(invalid.violations()).singleElement().satisfies(violation -> {
                            assertThat(violation.path()).isEqualTo("data.email");
                            assertThat(violation.rule()).isEqualTo("format");
                        });
                    })
                    .hasMessageContaining("user:created")
                    .hasMessageContaining("format");
            assertThat(store.version("user-1")).isZero();
            assertThat(log(store)).isEmpty();
            assertStillUsable();
        }

        @Test
        void make_an_atomic_append_whose_last_event_is_invalid_store_nothing() {
            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));

            assertThatThrownBy(() -> store.append("user-1", List.of(givenNameSet("Janet"), activated(),
                    userCreated("Janet", "Doe", "janet-at-example.com"))))
                    .isInstanceOf(EventValidationException.class);
            assertThatThrownBy(() -> store.batch()
                    .add("user-2", userCreated("John", "Roe", "john@example.com"))
                    .add("post-1", postCreated("user-2", "Hello"))
                    .add("user-2", userCreated("John", "Roe", "john-at-example.com"))
                    .commit())
                    .isInstanceOf(EventValidationException.class);

            assertThat(log(store)).extracting(EventRecord::stream).containsExactly("user-1");
            assertThat(store.version("user-2")).isZero();
            assertThat(store.version("post-1")).isZero();
            assertStillUsable();
        }

        @Test
        void pushed_by_an_aggregate_are_refused_on_save_and_stay_pending() {
            TestUser user = store.create(TestUser.REDUCER, "user-1");
            user.create("Jane", "Doe", "not-an-email");
            user.activate();

            assertThatThrownBy(user::save).isInstanceOf(EventValidationException.class);
            assertThat(user.isDirty()).isTrue();
            assertThat(store.version("user-1")).isZero();
            assertStillUsable();
        }

        @Test
        void with_a_type_string_that_does_not_match_their_class_are_refused() {
            PendingEvent<TestEvent> made = store.event("user-1", activated());
            PendingEvent<TestEvent> mislabelled = new PendingEvent<>(made.id(), made.stream(), UserCreated.TYPE,
                    made.event(), made.created());

            assertThatThrownBy(() -> store.append(List.of(mislabelled)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("user:created")
                    .hasMessageContaining("user:activated");
            assertThat(log(store)).isEmpty();
            assertStillUsable();
        }
    }

    @Nested
    class Unregistered_types {

        @Test
        void are_refused_on_append_and_nothing_is_stored() {
            assertThatThrownBy(() -> untyped(store).append("user-1", new Unregistered("x")))
                    .isInstanceOf(UnknownEventTypeException.class)
                    .hasMessageContaining(Unregistered.class.getName());
            assertThatThrownBy(() -> untyped(store).append("user-1",
                    List.of(userCreated("Jane", "Doe", "jane@example.com"), new Unregistered("x"))))
                    .isInstanceOf(UnknownEventTypeException.class);

            assertThat(log(store)).isEmpty();
            assertStillUsable();
        }

        @Test
        void cannot_be_made_into_events() {
            assertThatThrownBy(() -> untyped(store).event("user-1", new Unregistered("x")))
                    .isInstanceOf(UnknownEventTypeException.class);
        }

        @Test
        void are_refused_as_a_read_filter() {
            store.append("user-1", activated());

            assertThatThrownBy(() -> store.read("user-1", ReadOptions.defaults().types(Unregistered.class)))
                    .isInstanceOf(UnknownEventTypeException.class)
                    .hasMessageContaining("Unregistered");
            assertStillUsable();
        }
    }

    @Nested
    class Null_arguments {

        void assertNamed(String argument, ThrowingCallable call) {
            assertThatThrownBy(call).as(argument).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining(argument);
        }

        @Test
        void are_refused_naming_the_argument() {
            TestEvent event = activated();
            assertNamed("stream", () -> store.append(null, event));
            assertNamed("event", () -> store.append("user-1", (TestEvent) null));
            assertNamed("events", () -> store.append("user-1", (List<TestEvent>) null));
            assertNamed("expected", () -> store.append("user-1", null, event));
            assertNamed("events", () -> store.append((List<PendingEvent<TestEvent>>) null));
            assertNamed("event", () -> store.append("user-1", Arrays.asList(event, null)));
            assertNamed("stream", () -> store.event(null, event));
            assertNamed("event", () -> store.event("user-1", null));
            assertNamed("stream", () -> store.batch().add(null, event));
            assertNamed("stream", () -> store.read(null));
            assertNamed("streams", () -> store.readStreams(null, ReadOptions.defaults()));
            assertNamed("options", () -> store.readAll(null));
            assertNamed("keys", () -> store.readRelations(null, ReadOptions.defaults()));
            assertNamed("cursor", () -> ReadOptions.defaults().after(null));
            assertNamed("id", () -> store.find(null));
            assertNamed("stream", () -> store.version(null));
            assertNamed("event", () -> store.status(null));
            assertNamed("reducer", () -> store.reduce(null, "user-1"));
            assertNamed("stream", () -> store.reduce(UserView.REDUCER, (String) null));
            assertNamed("target", () -> store.reduce(UserView.REDUCER, (Target) null));
            assertNamed("reducer", () -> store.create(null, "user-1"));
            assertNamed("reducer", () -> store.snapshots().create(null, Target.stream("user-1")));
            assertNamed("key", () -> store.relations().add(null, "post-1"));
            assertNamed("stream", () -> store.relations().add("user-1:posts", null));
            assertNamed("relations", () -> store.relations().add(null));
            assertNamed("relations", () -> store.relations().remove(null));
            assertNamed("key", () -> store.relations().streams((String) null));
            assertNamed("keys", () -> store.relations().streams((List<String>) null));
            assertNamed("keys", () -> store.relations().removeByKeys(null));
            assertNamed("streams", () -> store.relations().removeByStreams(null));

            assertThat(log(store)).isEmpty();
            assertStillUsable();
        }

        @Test
        void in_an_event_are_refused_by_its_record() {
            assertThatThrownBy(() -> new UserEmailSet(null, new UserEmailSet.Meta(TestEvents.AUDITOR)))
                    .isInstanceOfSatisfying(EventValidationException.class, invalid ->
                            assertThat(invalid.violations()).extracting(Violation::path).containsExactly("data"));
            assertThatThrownBy(() -> new UserCreated(null, null))
                    .isInstanceOfSatisfying(EventValidationException.class, invalid ->
                            assertThat(invalid.violations()).extracting(Violation::path)
                                    .containsExactly("data", "meta"));
        }
    }

    @Nested
    class Stream_ids {

        @Test
        void full_of_sql_are_stored_verbatim_and_stay_inert() {
            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));

            EventRecord<TestEvent> hostile = store.append(HOSTILE, userCreated("Bobby", "Tables", "bobby@example.com"))
                    .records().getFirst();
            store.relations().add(HOSTILE, HOSTILE);

            assertThat(store.read(HOSTILE)).containsExactly(hostile);
            assertThat(hostile.stream()).isEqualTo(HOSTILE);
            assertThat(store.version(HOSTILE)).isEqualTo(1);
            assertThat(store.relations().streams(HOSTILE)).containsExactly(HOSTILE);
            assertThat(store.readRelations(List.of(HOSTILE), ReadOptions.defaults())).containsExactly(hostile);
            assertThat(log(store)).extracting(EventRecord::stream).containsExactly("user-1", HOSTILE);
            assertStillUsable();
        }

        @Test
        void full_of_sql_are_inert_as_reducer_names_and_relation_keys() {
            Reducer<UserView, TestEvent> hostileReducer = Reducer.of(HOSTILE, UserView.class, UserView::empty,
                    UserView::fold);
            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));

            store.snapshots().create(hostileReducer, Target.stream("user-1"));
            store.relations().add(HOSTILE + "'", "user-1");

            assertThat(store.snapshots().get(hostileReducer, Target.stream("user-1")))
                    .hasValueSatisfying(snapshot -> assertThat(snapshot.reducer()).isEqualTo(HOSTILE));
            assertThat(store.relations().streams(HOSTILE + "'")).containsExactly("user-1");
            store.relations().removeByKeys(List.of(HOSTILE + "'"));
            assertThat(store.relations().streams(HOSTILE + "'")).isEmpty();
            assertThat(store.read("user-1")).hasSize(1);
            assertStillUsable();
        }

        @Test
        void with_sql_wildcards_match_only_themselves() {
            store.append("user-1", activated());
            store.append("user_1", activated());
            store.append("user%", activated());

            assertThat(store.read("user_1")).extracting(EventRecord::stream).containsExactly("user_1");
            assertThat(store.read("user%")).extracting(EventRecord::stream).containsExactly("user%");
            assertThat(store.read("user")).isEmpty();
            assertThat(store.version("user_1")).isEqualTo(1);
        }

        @Test
        void in_any_script_are_stored_verbatim() {
            String stream = "ユーザー-1 👩‍💻 ÅÄÖ";

            store.append(stream, userCreated("Jane", "Doe", "jane@example.com"));

            assertThat(store.read(stream)).singleElement()
                    .satisfies(record -> assertThat(record.stream()).isEqualTo(stream));
            assertThat(store.readAll(ReadOptions.defaults())).extracting(EventRecord::stream).containsExactly(stream);
        }

        @Test
        void that_are_blank_or_hold_control_characters_are_refused() {
            for (String bad : List.of("", "   ", "user\u00001", "user\n1", "\tuser-1", "user-1\u007f")) {
                assertThatThrownBy(() -> store.append(bad, activated())).as("stream id %s", bad.replace("\u0000", "\\0"))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> store.read(bad)).isInstanceOf(IllegalArgumentException.class);
            }

            assertThat(log(store)).isEmpty();
            assertStillUsable();
        }

        @Test
        void longer_than_512_characters_are_refused() {
            String longest = "s".repeat(512);

            store.append(longest, activated());

            assertThatThrownBy(() -> store.append(longest + "s", activated()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("512");
            assertThat(log(store)).extracting(EventRecord::stream).containsExactly(longest);
            assertStillUsable();
        }

        @Test
        void that_are_invalid_in_a_made_event_make_the_whole_append_fail() {
            PendingEvent<TestEvent> good = store.event("user-1", activated());
            PendingEvent<TestEvent> made = store.event("user-2", activated());
            PendingEvent<TestEvent> bad = new PendingEvent<>(made.id(), "user\n2", made.type(), made.event(),
                    made.created());

            assertThatThrownBy(() -> store.append(List.of(good, bad))).isInstanceOf(IllegalArgumentException.class);
            assertThat(log(store)).isEmpty();
            assertStillUsable();
        }
    }

    @Nested
    class Oversized_payloads {

        @Test
        void over_the_store_limit_are_refused_and_nothing_is_stored() {
            EventStore<TestEvent> small = openStore(TestEvents.registryBuilderWithEmailRule()
                    .limits(EventLimits.defaults().withMaxEventBytes(256)).build());
            small.append("user-1", givenNameSet("Jane"));

            assertThatThrownBy(() -> small.append("user-1", List.of(activated(), givenNameSet("x".repeat(300)))))
                    .isInstanceOfSatisfying(EventValidationException.class, invalid -> {
                        assertThat(invalid.type()).isEqualTo("user:name:given-set");
                        assertThat(invalid.violations()).extracting(Violation::rule).containsExactly("maxEventBytes");
                    })
                    .hasMessageContaining("256");
            assertThat(small.read("user-1")).hasSize(1);
            assertThat(small.append("user-1", activated()).records()).hasSize(1);
        }

        @Test
        void over_one_mebibyte_are_refused_by_default() {
            String huge = "x".repeat((1 << 20) + 1);

            assertThatThrownBy(() -> store.append("user-1", givenNameSet(huge)))
                    .isInstanceOfSatisfying(EventValidationException.class, invalid ->
                            assertThat(invalid.violations()).extracting(Violation::rule)
                                    .containsExactly("maxEventBytes"));
            assertThat(log(store)).isEmpty();
            assertStillUsable();
        }
    }

    @Nested
    class Clashing_ids {

        @Test
        void with_a_stored_event_make_the_whole_append_fail_and_write_nothing() {
            PendingEvent<TestEvent> stored = store.event("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            store.append(List.of(stored));
            PendingEvent<TestEvent> fresh = store.event("user-2", userCreated("John", "Roe", "john@example.com"));
            PendingEvent<TestEvent> impostor = new PendingEvent<>(stored.id(), "user-1", UserCreated.TYPE,
                    userCreated("Eve", "Doe", "eve@example.com"), stored.created());

            assertThatThrownBy(() -> store.append(List.of(fresh, impostor)))
                    .isInstanceOfSatisfying(DuplicateEventIdException.class,
                            clash -> assertThat(clash.id()).isEqualTo(stored.id()))
                    .hasMessageContaining(stored.id().toString());
            assertThat(store.version("user-2")).isZero();
            assertThat(store.find(stored.id())).hasValueSatisfying(record ->
                    assertThat(record.event()).isEqualTo(stored.event()));
            assertStillUsable();
        }

        @Test
        void within_one_append_make_it_fail_and_write_nothing() {
            PendingEvent<TestEvent> made = store.event("user-1", activated());
            PendingEvent<TestEvent> other = new PendingEvent<>(made.id(), "user-2", made.type(), made.event(),
                    made.created());

            assertThatThrownBy(() -> store.append(List.of(made, other)))
                    .isInstanceOf(DuplicateEventIdException.class);
            assertThat(log(store)).isEmpty();
            assertStillUsable();
        }

        @Test
        void with_a_stored_event_are_refused_even_with_an_expected_version() {
            PendingEvent<TestEvent> stored = store.event("user-1", activated());
            store.append(List.of(stored));
            PendingEvent<TestEvent> impostor = new PendingEvent<>(stored.id(), "user-1", stored.type(),
                    stored.event(), store.clock().now());

            assertThatThrownBy(() -> store.batch().add(impostor).expect("user-1", ExpectedVersion.exactly(1)).commit())
                    .isInstanceOf(DuplicateEventIdException.class);
            assertThat(store.version("user-1")).isEqualTo(1);
            assertStillUsable();
        }
    }

    @Nested
    class Misbehaving_reducers {

        @Test
        void returning_null_fail_the_reduce_naming_the_reducer_and_leave_the_store_usable() {
            store.append("user-1", activated());
            Reducer<UserView, TestEvent> broken = Reducer.of("broken-view", UserView.class, UserView::empty,
                    (state, record) -> null);

            assertThatThrownBy(() -> store.reduce(broken, "user-1"))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("broken-view");
            assertThat(store.snapshots().get(broken, Target.stream("user-1"))).isEmpty();
            assertStillUsable();
        }

        @Test
        void that_throw_leave_no_snapshot_behind() {
            EventStore<TestEvent> automatic = openStore(builder -> builder.snapshots(SnapshotMode.AUTOMATIC));
            automatic.append("user-1", List.of(activated(), activated()));
            List<UUID> folded = new ArrayList<>();
            Reducer<UserView, TestEvent> failing = Reducer.of("failing-view", UserView.class, UserView::empty,
                    (state, record) -> {
                        folded.add(record.id());
                        if (folded.size() == 2) {
                            throw new IllegalStateException("cannot fold");
                        }
                        return state.fold(record);
                    });

            assertThatThrownBy(() -> automatic.reduce(failing, "user-1")).hasMessage("cannot fold");
            assertThat(automatic.snapshots().get(failing, Target.stream("user-1"))).isEmpty();
            assertThat(automatic.read("user-1")).hasSize(2);
        }
    }
}
