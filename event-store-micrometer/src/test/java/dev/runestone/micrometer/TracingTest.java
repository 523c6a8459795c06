package dev.runestone.micrometer;

import static dev.runestone.micrometer.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.PendingEvent;
import dev.runestone.Target;
import dev.runestone.instrumentation.AppendOperation;
import dev.runestone.instrumentation.HandlerKind;
import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.instrumentation.Operation;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.sqlite.SqliteStorage;
import dev.runestone.subscription.Subscription;
import dev.runestone.testkit.TaskEvent;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans, through Micrometer Tracing's OpenTelemetry bridge into an in-memory exporter: their names and kinds, and
 * the trace context an append hands the store and a handler receives back.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class TracingTest {

    InMemorySpanExporter spans;
    SdkTracerProvider provider;
    ObservationRegistry observations;
    EventStore<TaskEvent> store;

    @BeforeEach
    void trace() {
        spans = InMemorySpanExporter.create();
        provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        io.opentelemetry.api.trace.Tracer otel = sdk.getTracer("runestone-test");
        OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { });
        OtelPropagator propagator = new OtelPropagator(sdk.getPropagators(), otel);
        observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(
                new ObservationHandler.FirstMatchingCompositeObservationHandler(
                        new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                        new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                        new DefaultTracingObservationHandler(tracer)));
        store = EventStore.builder(SqliteObservationTest.REGISTRY, SqliteStorage.inMemory())
                .instrumentation(MicrometerInstrumentation.create(observations)).build();
    }

    @AfterEach
    void close() {
        store.close();
        provider.close();
    }

    SpanData span(String name) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("No span " + name + " in " + spans.getFinishedSpanItems()));
    }

    @Test
    void an_append_is_a_producer_span_and_its_handlers_are_consumer_spans() throws Exception {
        store.projector().on(TaskEvent.Opened.class, record -> { });
        try (Subscription<TaskEvent> subscription = store.subscribe("mailer").handler((record, status) -> { })
                .start()) {
            store.append("task-1", TaskEvent.opened(1));
            assertThat(store.projector().awaitIdle(Duration.ofSeconds(5))).isTrue();
            eventually(() -> assertThat(spans.getFinishedSpanItems()).filteredOn(span -> span.getKind()
                    == SpanKind.CONSUMER).hasSize(2));
        }

        SpanData append = span("send task:opened");
        assertThat(append.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(append.getAttributes().asMap()).extractingFromEntries(entry -> entry.getKey().getKey(),
                entry -> entry.getValue()).contains(
                        tuple("messaging.system", "runestone"),
                        tuple("messaging.operation.type", "send"),
                        tuple("messaging.destination.name", "task-1"),
                        tuple("outcome", "ok"));
        assertThat(spans.getFinishedSpanItems()).filteredOn(span -> span.getName().equals("process task:opened"))
                .extracting(SpanData::getKind).containsOnly(SpanKind.CONSUMER);
    }

    @Test
    void the_append_hands_over_the_trace_context_of_its_span_and_a_handler_given_it_continues_that_trace()
            throws Exception {
        Instrumentation instrumentation = MicrometerInstrumentation.create(observations).forStore("sqlite");
        PendingEvent<TaskEvent> event = store.event("task-1", TaskEvent.opened(1));

        AppendOperation append = instrumentation.appending(List.of(event));
        Map<String, String> headers = append.traceHeaders();
        append.end();
        EventRecord<TaskEvent> record = store.append(List.of(event)).records().getFirst();
        Operation projected = instrumentation.projecting(HandlerKind.ON, record, ProjectionStatus.LIVE, headers);
        projected.end();
        try (Subscription<TaskEvent> subscription = store.subscribe("mailer").handler((r, status) -> { }).start()) {
            Operation handled = instrumentation.subscribing(subscription).handling(record, ProjectionStatus.LIVE, 1,
                    headers);
            handled.end();
        }

        SpanData producer = spans.getFinishedSpanItems().getFirst();
        assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(headers).containsOnlyKeys("traceparent");
        assertThat(headers.get("traceparent")).startsWith("00-" + producer.getTraceId() + "-" + producer.getSpanId()
                + "-");
        List<SpanData> consumers = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getKind() == SpanKind.CONSUMER && span.getTraceId().equals(producer.getTraceId()))
                .toList();
        assertThat(consumers).hasSize(2).allSatisfy(consumer ->
                assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId()));
    }

    @Test
    void a_subscription_of_another_store_on_the_database_handles_an_event_in_the_trace_of_the_append_that_stored_it(
            @TempDir Path directory) throws Exception {
        Path file = directory.resolve("shared.db");
        try (EventStore<TaskEvent> writer = EventStore.builder(SqliteObservationTest.REGISTRY, SqliteStorage.file(file))
                        .instrumentation(MicrometerInstrumentation.create(observations)).build();
                EventStore<TaskEvent> reader = EventStore.builder(SqliteObservationTest.REGISTRY,
                                SqliteStorage.file(file))
                        .instrumentation(MicrometerInstrumentation.create(observations)).build();
                Subscription<TaskEvent> subscription = reader.subscribe("mailer").handler((record, status) -> {
                    if (record.stream().equals("task-1")) {
                        reader.append("mail-1", TaskEvent.opened(2));
                    }
                }).start()) {
            EventRecord<TaskEvent> stored = writer.append("task-1", TaskEvent.opened(1)).records().getFirst();
            eventually(() -> assertThat(reader.read("mail-1")).hasSize(1));
            EventRecord<TaskEvent> mail = reader.read("mail-1").getFirst();
            eventually(() -> assertThat(spans.getFinishedSpanItems()).filteredOn(span -> span.getKind()
                    == SpanKind.PRODUCER).hasSize(2));

            List<SpanData> appends = spans.getFinishedSpanItems().stream()
                    .filter(span -> span.getKind() == SpanKind.PRODUCER).toList();
            SpanData append = appends.stream().filter(span -> span.getAttributes().asMap().values()
                    .contains("task-1")).findFirst().orElseThrow();
            SpanData handling = spans.getFinishedSpanItems().stream()
                    .filter(span -> span.getKind() == SpanKind.CONSUMER
                            && span.getTraceId().equals(append.getTraceId()))
                    .findFirst().orElseThrow(() -> new AssertionError("No handler span in the append's trace: "
                            + spans.getFinishedSpanItems()));
            SpanData mailAppend = appends.stream().filter(span -> span != append).findFirst().orElseThrow();
            assertThat(stored.origin().traceParent()).as("the stored trace context is the append span's")
                    .startsWith("00-" + append.getTraceId() + "-" + append.getSpanId() + "-");
            assertThat(handling.getParentSpanId()).as("the handler's span continues the append's")
                    .isEqualTo(append.getSpanId());
            assertThat(mailAppend.getTraceId()).as("what the handler appends stays in the trace")
                    .isEqualTo(append.getTraceId());
            assertThat(mailAppend.getParentSpanId()).isEqualTo(handling.getSpanId());
            assertThat(mail.origin().traceParent()).contains(mailAppend.getSpanId());
            assertThat(mail.causationId()).isEqualTo(stored.id().toString());
        }
    }

    @Test
    void without_a_span_there_is_no_trace_context_to_hand_over() {
        Instrumentation quiet = MicrometerInstrumentation.create(ObservationRegistry.NOOP).forStore("sqlite");

        AppendOperation append = quiet.appending(List.of(store.event("task-1", TaskEvent.opened(1))));

        assertThat(append.traceHeaders()).isEmpty();
        append.end();
    }

    @Test
    void a_read_inside_a_reduce_is_a_child_of_the_reduce_s_span() {
        store.append("task-1", TaskEvent.opened(1));
        store.relations().add("project-1", "task-1");

        assertThat(store.reduce(SqliteObservationTest.COUNT, Target.relation("project-1"))).contains(1L);

        SpanData reduce = span("reduce task-count");
        assertThat(span("read relations").getParentSpanId()).isEqualTo(reduce.getSpanId());
    }
}
