package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.activated;
import static dev.runestone.testkit.events.TestEvents.emailSet;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.Correlation;
import dev.runestone.EventOrigin;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.PendingEvent;
import dev.runestone.ReadOptions;
import dev.runestone.projector.Effects;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserActivated;
import dev.runestone.testkit.events.UserCreated;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Correlation, causation and trace context: an append outside any conversation starts one, a {@link Correlation}
 * scope names one, and whatever a projector handler, a {@code once} effect or a durable subscription appends while
 * handling an event joins that event's conversation with the event as its cause. Every read gives the origin back,
 * imports keep it, and a conversation is found by its correlation id.
 */
public abstract class CorrelationSuite extends SuiteBase {

    static final String TRACE_PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    /** Every way of reading an event back, each of which must give the origin it was stored with. */
    static void assertEveryReadGivesBack(EventStore<TestEvent> store, EventRecord<TestEvent> record) {
        assertThat(store.read(record.stream())).contains(record);
        assertThat(store.find(record.id())).contains(record);
        assertThat(log(store)).contains(record);
        assertThat(store.readCorrelation(record.correlationId())).contains(record);
    }

    @Nested
    class An_append_outside_any_conversation {

        @Test
        void starts_one_named_after_its_first_event() {
            List<EventRecord<TestEvent>> records = store.append("user-1",
                    List.of(userCreated("Jane", "Doe", "jane@example.com"), activated())).records();

            String first = records.getFirst().id().toString();
            assertThat(records).extracting(EventRecord::origin).containsExactly(
                    new EventOrigin(first, null, null, null), new EventOrigin(first, null, null, null));
            records.forEach(record -> assertEveryReadGivesBack(store, record));
        }

        @Test
        void is_a_conversation_apart_from_the_next_one() {
            EventRecord<TestEvent> first = store.append("user-1", activated()).records().getFirst();
            EventRecord<TestEvent> second = store.append("user-1", activated()).records().getFirst();

            assertThat(first.correlationId()).isEqualTo(first.id().toString());
            assertThat(second.correlationId()).isEqualTo(second.id().toString());
            assertThat(store.readCorrelation(first.correlationId())).containsExactly(first);
        }
    }

    @Nested
    class A_correlation_scope {

        @Test
        void gives_its_ids_and_trace_to_every_event_appended_inside_it() {
            List<EventRecord<TestEvent>> records = Correlation.with("request-42").causedBy("command-7")
                    .traced(TRACE_PARENT, "vendor=a")
                    .call(() -> store.append("user-1", List.of(activated(), emailSet("jane@example.com"))))
                    .records();

            assertThat(records).extracting(EventRecord::origin).containsOnly(
                    new EventOrigin("request-42", "command-7", TRACE_PARENT, "vendor=a"));
            assertThat(store.readCorrelation("request-42")).containsExactlyElementsOf(records);
            records.forEach(record -> assertEveryReadGivesBack(store, record));
            assertThat(Correlation.current()).as("the scope ends with the call").isEqualTo(EventOrigin.NONE);
        }

        @Test
        void takes_what_it_leaves_out_from_the_scope_around_it() {
            EventRecord<TestEvent> record = Correlation.with("outer").causedBy("command-7").call(() ->
                    Correlation.with("inner").call(() -> store.append("user-1", activated()))).records().getFirst();

            assertThat(record.origin()).isEqualTo(new EventOrigin("inner", "command-7", null, null));
        }

        @Test
        void is_kept_by_an_event_made_inside_it_and_appended_after_it() {
            PendingEvent<TestEvent> made = Correlation.with("request-42").call(() ->
                    store.event("user-1", activated()));

            EventRecord<TestEvent> stored = store.append(List.of(made)).records().getFirst();

            assertThat(stored.correlationId()).isEqualTo("request-42");
        }

        @Test
        void is_kept_by_an_aggregate_changed_inside_it() {
            TestUser user = store.create(TestUser.REDUCER, "user-1");
            Correlation.with("request-42").run(() -> user.create("Jane", "Doe", "jane@example.com"));

            EventRecord<TestEvent> stored = user.save().records().getFirst();

            assertThat(stored.correlationId()).isEqualTo("request-42");
        }

        @Test
        void refuses_ids_and_trace_context_that_could_not_be_stored_naming_the_field() {
            assertThatThrownBy(() -> Correlation.with(" ")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Correlation id");
            assertThatThrownBy(() -> Correlation.with("x".repeat(EventOrigin.MAX_ID_LENGTH + 1)))
                    .hasMessageContaining("Correlation id").hasMessageContaining("at most 512");
            assertThatThrownBy(() -> Correlation.with("ok").causedBy("line\nbreak"))
                    .hasMessageContaining("Causation id").hasMessageContaining("control characters");
            assertThatThrownBy(() -> Correlation.with("ok").causedBy("lone \uD800"))
                    .hasMessageContaining("Causation id").hasMessageContaining("surrogate");
            assertThatThrownBy(() -> Correlation.with("ok").traced("00-abc", null))
                    .hasMessageContaining("traceparent").hasMessageContaining("W3C");
            assertThatThrownBy(() -> Correlation.with("ok").traced(TRACE_PARENT + "-more", null))
                    .as("version 00 has exactly four fields").hasMessageContaining("traceparent");
            assertThatThrownBy(() -> Correlation.with("ok").traced("ff" + TRACE_PARENT.substring(2), null))
                    .as("version ff is invalid").hasMessageContaining("traceparent");
            assertThatThrownBy(() -> Correlation.with("ok").traced("01" + TRACE_PARENT.substring(2) + "-"
                    + "x".repeat(600), null)).as("a later version, too long").hasMessageContaining("traceparent");
            assertThatThrownBy(() -> store.readCorrelation("lone \uD800"))
                    .as("a lookup that would match stored '?'").hasMessageContaining("Correlation id");
            assertThatThrownBy(() -> Correlation.with("ok").traced(TRACE_PARENT, "é=1"))
                    .hasMessageContaining("tracestate").hasMessageContaining("printable ASCII");
            assertThatThrownBy(() -> Correlation.with("ok").traced(TRACE_PARENT, "k=" + "v".repeat(511)))
                    .hasMessageContaining("tracestate").hasMessageContaining("at most 512");
        }

        @Test
        void refuses_an_event_made_elsewhere_with_an_origin_that_could_not_be_stored_writing_nothing() {
            PendingEvent<TestEvent> made = store.event("user-1", activated());
            PendingEvent<TestEvent> broken = new PendingEvent<>(made.id(), made.stream(), made.type(), made.event(),
                    made.created(), new EventOrigin("request-42", null, "not a traceparent", null));

            assertThatThrownBy(() -> store.append(List.of(broken))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("traceparent");
            assertThat(store.read("user-1")).isEmpty();
        }
    }

    @Nested
    class Handling_an_event {

        @Test
        void a_projector_handler_appends_into_its_conversation_with_the_event_as_cause() throws Exception {
            store.projector().on(UserCreated.class, record -> store.append("audit", activated()));
            EventRecord<TestEvent> cause = Correlation.with("signup-1").traced(TRACE_PARENT, null)
                    .call(() -> store.append("user-1", userCreated("Jane", "Doe", "jane@example.com")))
                    .records().getFirst();

            awaitProjections(store);

            EventRecord<TestEvent> effect = store.read("audit").getFirst();
            assertThat(effect.origin()).as("without a tracer, the trace travels on with the conversation")
                    .isEqualTo(new EventOrigin("signup-1", cause.id().toString(), TRACE_PARENT, null));
            assertThat(store.readCorrelation("signup-1")).containsExactly(cause, effect);
        }

        @Test
        void a_once_effect_appends_into_its_conversation_with_the_event_as_cause() throws Exception {
            store.projector().once(UserCreated.class, record -> "welcome mail sent",
                    Effects.of((record, result) -> store.append("mail", activated()), (record, error) -> { }));
            EventRecord<TestEvent> cause = store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"))
                    .records().getFirst();

            awaitProjections(store);

            assertThat(store.read("mail")).singleElement().extracting(EventRecord::origin)
                    .isEqualTo(new EventOrigin(cause.id().toString(), cause.id().toString(), null, null));
        }

        @Test
        void a_durable_subscription_appends_into_its_conversation_with_the_event_as_cause() throws Exception {
            EventRecord<TestEvent> cause = Correlation.with("signup-1").call(() ->
                    store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"))).records().getFirst();

            start(store.subscribe("audit").handler((record, status) -> {
                if (record.event() instanceof UserCreated) {
                    store.append("audit", activated());
                }
            }));
            await("the subscription appends its audit event", () -> !store.read("audit").isEmpty());

            assertThat(store.read("audit").getFirst().origin())
                    .isEqualTo(new EventOrigin("signup-1", cause.id().toString(), null, null));
        }

        @Test
        void an_explicit_scope_inside_a_handler_wins_and_keeps_the_event_as_cause() throws Exception {
            store.projector().on(UserCreated.class, record ->
                    Correlation.with("billing-9").run(() -> store.append("invoice", activated())));
            EventRecord<TestEvent> cause = store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"))
                    .records().getFirst();

            awaitProjections(store);

            assertThat(store.read("invoice").getFirst().origin())
                    .isEqualTo(new EventOrigin("billing-9", cause.id().toString(), null, null));
        }

        @Test
        void a_chain_of_handlers_keeps_one_conversation_each_event_caused_by_the_one_before() throws Exception {
            store.projector().on(UserCreated.class, record -> store.append("step-2", activated()));
            store.projector().on(UserActivated.class, record -> {
                if (record.stream().equals("step-2")) {
                    store.append("step-3", emailSet("jane@example.com"));
                }
            });
            EventRecord<TestEvent> first = store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"))
                    .records().getFirst();

            await("the chain reaches its third step", () -> !store.read("step-3").isEmpty());

            EventRecord<TestEvent> second = store.read("step-2").getFirst();
            EventRecord<TestEvent> third = store.read("step-3").getFirst();
            assertThat(second.causationId()).isEqualTo(first.id().toString());
            assertThat(third.causationId()).isEqualTo(second.id().toString());
            assertThat(store.readCorrelation(first.id().toString())).containsExactly(first, second, third);
            assertThat(store.readCorrelation(second.id().toString()))
                    .as("an event that joined a conversation started none of its own").isEmpty();
        }
    }

    @Nested
    class Imports {

        @Test
        void keep_the_origin_the_events_bring_whatever_scope_the_import_runs_in() {
            EventStore<TestEvent> remote = openStore(builder -> builder);
            EventRecord<TestEvent> caused = Correlation.with("signup-1").causedBy("command-7")
                    .traced(TRACE_PARENT, "vendor=a")
                    .call(() -> remote.append("user-1", activated())).records().getFirst();
            EventRecord<TestEvent> root = remote.append("user-2", activated()).records().getFirst();

            List<EventRecord<TestEvent>> imported = Correlation.with("sync-run-3").call(() ->
                    store.importEvents(List.of(caused, root))).imported();

            assertThat(imported).extracting(EventRecord::origin).containsExactly(caused.origin(), root.origin());
            imported.forEach(record -> assertEveryReadGivesBack(store, record));
            assertThat(store.readCorrelation("sync-run-3")).isEmpty();
        }

        @Test
        void refuse_an_origin_that_could_not_be_stored_naming_it_and_writing_nothing() {
            EventRecord<TestEvent> good = openStore(builder -> builder).append("user-1", activated()).records()
                    .getFirst();
            EventRecord<TestEvent> broken = new EventRecord<>(UUID.randomUUID(), "user-2", good.type(), good.event(),
                    good.created(), good.recorded(), 1, 2, 1,
                    new EventOrigin("signup-1", "cause\u0000", null, null));

            assertThatThrownBy(() -> store.importEvents(List.of(good, broken)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Causation id");
            assertThat(store.readAll(ReadOptions.defaults())).isEmpty();
        }
    }

    @Nested
    class Finding_a_conversation {

        @Test
        void returns_its_events_oldest_first_as_read_options_say() throws Exception {
            store.projector().on(UserCreated.class, record -> store.append("audit-" + record.stream(), activated()));
            EventRecord<TestEvent> cause = store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"))
                    .records().getFirst();
            store.append("user-2", userCreated("John", "Roe", "john@example.com"));
            awaitProjections(store);
            EventRecord<TestEvent> effect = store.read("audit-user-1").getFirst();

            String conversation = cause.id().toString();
            assertThat(store.readCorrelation(conversation)).containsExactly(cause, effect);
            assertThat(store.readCorrelation(conversation, ReadOptions.defaults().types(UserActivated.class)))
                    .containsExactly(effect);
            assertThat(store.readCorrelation(conversation, ReadOptions.defaults().descending().limit(1)))
                    .containsExactly(effect);
            assertThat(store.readCorrelation("no such conversation")).isEmpty();
        }

        @Test
        void keeps_the_first_origin_when_the_same_event_is_appended_again_from_another_conversation() {
            PendingEvent<TestEvent> made = store.event("user-1", activated());
            EventRecord<TestEvent> first = Correlation.with("first").call(() -> store.append(List.of(made)))
                    .records().getFirst();

            var again = Correlation.with("second").call(() -> store.append(List.of(made)));

            assertThat(again.duplicates()).containsExactly(made.id());
            assertThat(store.find(made.id())).contains(first);
            assertThat(first.correlationId()).isEqualTo("first");
        }

        @Test
        void counts_the_same_event_twice_in_one_append_with_two_origins_as_one() {
            PendingEvent<TestEvent> made = store.event("user-1", activated());
            PendingEvent<TestEvent> traced = new PendingEvent<>(made.id(), made.stream(), made.type(), made.event(),
                    made.created(), new EventOrigin("other", null, TRACE_PARENT, null));

            var result = store.append(List.of(made, traced));

            assertThat(result.records()).singleElement().extracting(EventRecord::id).isEqualTo(made.id());
            assertThat(result.duplicates()).containsExactly(made.id());
        }
    }
}
