package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.activated;
import static dev.runestone.testkit.events.TestEvents.givenNameSet;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.runestone.EventDecodingException;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.EventValidationException;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.LogPage;
import dev.runestone.PendingEvent;
import dev.runestone.Reducer;
import dev.runestone.Relation;
import dev.runestone.Target;
import dev.runestone.clock.HlcTimestamp;
import dev.runestone.registry.EventLimits;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.subscription.Subscription;
import dev.runestone.testkit.BoundaryEvent.Amount;
import dev.runestone.testkit.BoundaryEvent.Count;
import dev.runestone.testkit.BoundaryEvent.Ratio;
import dev.runestone.testkit.BoundaryEvent.Text;
import dev.runestone.testkit.BoundaryEvent.Tree;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.TestEvents;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The log's boundary: whatever a store accepts, every reader gets back equal (through {@code read}, {@code find},
 * {@code readLog} and a durable subscription), and whatever it could not give back it refuses at the door, naming
 * the field and the limit, with nothing written. Covers nesting, number, name and string lengths at and past their
 * limits, event size, Unicode in identifiers and values, numbers a database would rewrite, stored JSON of the wrong
 * type, and imports. After every refusal the store is still usable.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class BoundarySuite extends SuiteBase {

    private final AtomicInteger subscriptions = new AtomicInteger();

    /** The adapter under {@link #events}, for writing rows the way other software sharing the database might. */
    StorageAdapter adapter;

    /** A store of {@link BoundaryEvent}s with the default limits. */
    EventStore<BoundaryEvent> events;

    @BeforeEach
    void openBoundaryStore() {
        adapter = fixture().open();
        events = openStore(BoundaryEvent.registry(EventLimits.defaults()), adapter, builder -> builder);
    }

    /** Appends the event and reads it back every way a reader can, asserting each gives back an equal event. */
    <E> EventRecord<E> roundTrips(EventStore<E> store, E event) throws InterruptedException {
        String stream = "round-trip-" + UUID.randomUUID();
        EventRecord<E> written = store.append(stream, event).records().getFirst();

        assertThat(written.event()).isEqualTo(event);
        assertThat(store.read(stream)).singleElement().isEqualTo(written);
        assertThat(store.find(written.id())).contains(written);
        assertThat(logOf(store)).contains(written);
        Map<UUID, EventRecord<E>> delivered = new ConcurrentHashMap<>();
        Subscription<E> subscription = store.subscribe("boundary-" + subscriptions.incrementAndGet())
                .handler((record, status) -> delivered.put(record.id(), record)).start();
        try {
            await("the subscription delivers " + written.id(), () -> delivered.containsKey(written.id()));
        } finally {
            subscription.close();
        }
        assertThat(delivered.get(written.id())).isEqualTo(written);
        assertThat(subscription.parked()).isEmpty();
        return written;
    }

    /** Every event of the store's log, which must hold no undecodable row. */
    static <E> List<EventRecord<E>> logOf(EventStore<E> store) {
        LogPage<E> page = store.readLog(0, Integer.MAX_VALUE);
        assertThat(page.undecodable()).as("undecodable rows").isEmpty();
        return log(store);
    }

    /** Appending the event fails naming {@code path} and {@code rule}, and writes nothing. */
    <E> void refused(EventStore<E> store, E event, String path, String rule) {
        int before = logOf(store).size();

        assertThatThrownBy(() -> store.append("refused", event))
                .isInstanceOfSatisfying(EventValidationException.class, refusal ->
                        assertThat(refusal.violations()).extracting(Violation::path, Violation::rule)
                                .contains(tuple(path, rule)))
                .hasMessageContaining(rule);
        assertThat(store.version("refused")).isZero();
        assertThat(logOf(store)).hasSize(before);
        stillUsable();
    }

    /** Both stores of the test append and read back, as after any refusal. */
    void stillUsable() {
        EventRecord<TestEvent> record = store.append("after-refusal", activated()).records().getLast();
        assertThat(store.read("after-refusal")).last().isEqualTo(record);
        EventRecord<BoundaryEvent> mine = events.append("after-refusal", new Text("fine")).records().getFirst();
        assertThat(events.find(mine.id())).contains(mine);
    }

    /** Lists nested {@code depth} deep around one string. */
    static Object nested(int depth) {
        Object value = "deep";
        for (int i = 0; i < depth; i++) {
            value = List.of(value);
        }
        return value;
    }

    static String path(int depth) {
        return "data" + "[0]".repeat(depth);
    }

    @Nested
    class Nesting {

        @Test
        void to_the_limit_reads_back_equal_everywhere() throws Exception {
            roundTrips(events, new Tree(nested(1_000)));
        }

        @Test
        void past_the_limit_is_refused_at_the_door() {
            refused(events, new Tree(nested(1_001)), path(1_000), "maxNestingDepth");
        }
    }

    @Nested
    class Numbers {

        @Test
        void as_long_as_the_limit_written_out_in_full_read_back_equal() throws Exception {
            roundTrips(events, new Amount(new BigDecimal("9".repeat(1_000))));
            roundTrips(events, new Amount(new BigDecimal("-0." + "0".repeat(996) + "1")));
            roundTrips(events, new Amount(new BigDecimal("1.5E-7")));
            roundTrips(events, new Count(Long.MIN_VALUE));
        }

        @Test
        void longer_than_the_limit_written_out_in_full_are_refused() {
            refused(events, new Amount(new BigDecimal("9".repeat(1_001))), "data", "maxNumberLength");
            refused(events, new Amount(new BigDecimal("1E-999999")), "data", "maxNumberLength");
        }

        @Test
        void that_a_database_would_rewrite_are_refused() {
            refused(events, new Amount(new BigDecimal("1E+3")), "data", "number");
            refused(events, new Ratio(-0.0), "data", "number");
        }

        @Test
        void of_every_double_kind_read_back_equal() throws Exception {
            roundTrips(events, new Ratio(1e300));
            roundTrips(events, new Ratio(Double.MIN_VALUE));
            roundTrips(events, new Ratio(-Double.MAX_VALUE));
            roundTrips(events, new Ratio(0.1));
            roundTrips(events, new Ratio(Double.NaN));
            roundTrips(events, new Ratio(Double.POSITIVE_INFINITY));
        }
    }

    @Nested
    class Names_and_strings {

        @Test
        void as_long_as_the_limit_read_back_equal() throws Exception {
            roundTrips(events, new Tree(Map.of("n".repeat(50_000), "v")));
        }

        @Test
        void longer_than_the_limit_are_refused() {
            String name = "n".repeat(50_001);
            refused(events, new Tree(Map.of(name, "v")), "data." + "n".repeat(40) + "…", "maxNameLength");
        }

        @Test
        void of_twenty_million_characters_in_an_event_of_64_mebibytes_read_back_equal_and_one_more_is_refused()
                throws Exception {
            EventStore<BoundaryEvent> large = openStore(BoundaryEvent.registry(
                    EventLimits.defaults().withMaxEventBytes(64 << 20)));
            String longest = "x".repeat(20_000_000);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("a", longest);
            payload.put("b", longest);
            payload.put("c", longest);
            payload.put("d", "y".repeat((64 << 20) - 60_000_030));

            roundTrips(large, new Tree(payload));
            refused(large, new Text(longest + "x"), "data", "maxStringLength");
        }

        @Test
        void over_the_event_size_limit_are_refused() {
            refused(events, new Text("x".repeat(1 << 20)), "data", "maxEventBytes");
        }
    }

    @Nested
    class Unicode {

        @Test
        void in_any_script_with_control_characters_reads_back_equal() throws Exception {
            StringBuilder controls = new StringBuilder();
            for (char c = 1; c < 0x20; c++) {
                controls.append(c);
            }
            roundTrips(events, new Text("ユーザー 👩‍💻 עברית ÅÄÖ \u007f\u0085\u2028\uFEFF" + controls));
            roundTrips(events, new Tree(Map.of("👩‍💻 key\t", List.of("\uD83D\uDE00"))));
        }

        @Test
        void with_a_lone_surrogate_or_nul_in_a_value_is_refused() {
            refused(events, new Text("alias\uD800"), "data", "unicode");
            refused(events, new Text("\uDC00alias"), "data", "unicode");
            refused(events, new Text("nul\u0000"), "data", "unicode");
            refused(events, new Tree(Map.of("k\uDBFF", "v")), "data.k\uDBFF", "unicode");
        }

        @Test
        void with_a_lone_surrogate_cannot_alias_identities() {
            EventRecord<TestEvent> existing = store.append("qmark?", activated()).records().getFirst();

            for (String stream : List.of("alias\uD800", "alias\uDBFF", "qmark\uD800")) {
                assertThatThrownBy(() -> store.append(stream, activated()))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
                assertThatThrownBy(() -> store.read(stream)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> store.relations().add("key", stream))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> store.relations().add(stream, "qmark?"))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> store.relations().streams(stream))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> store.subscribe(stream).handler((record, status) -> { }).start())
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> store.subscriptions().checkpoint(stream))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> Target.relation(stream)).isInstanceOf(IllegalArgumentException.class);
            }

            assertThat(store.read("qmark?")).containsExactly(existing);
            assertThat(log(store)).containsExactly(existing);
            stillUsable();
        }

        @Test
        void in_identifiers_is_otherwise_kept_exactly() throws Exception {
            String stream = "👩‍💻-ユーザー-\uD83D\uDE00";
            EventRecord<TestEvent> record = store.append(stream, activated()).records().getFirst();
            store.relations().add(List.of(new Relation("🔑-" + stream, stream)));

            assertThat(store.read(stream)).containsExactly(record);
            assertThat(store.relations().streams("🔑-" + stream)).containsExactly(stream);
            assertThat(store.relations().streams("🔑-👩‍💻-ユーザー-\uD83D\uDE01")).isEmpty();
        }
    }

    @Nested
    class Snapshots {

        /** Keeps the first five characters of each given name: cuts an emoji in half, as careless code does. */
        final Reducer<UserView, TestEvent> cutting = Reducer.of("cutting-view", UserView.class, UserView::empty,
                (state, record) -> {
                    UserView folded = state.fold(record);
                    return new UserView(folded.given().substring(0, Math.min(5, folded.given().length())),
                            folded.family(), folded.email(), folded.active(), folded.folded());
                });

        @Test
        void keep_a_state_holding_a_lone_surrogate_unchanged() {
            store.append("user-1", userCreated("Jane\uD83D\uDE00", "Doe", "jane@example.com"));
            UserView folded = store.reduce(cutting, "user-1").orElseThrow();
            assertThat(folded.given()).isEqualTo("Jane\uD83D");

            store.snapshots().create(cutting, Target.stream("user-1"));

            assertThat(store.snapshots().get(cutting, Target.stream("user-1")))
                    .hasValueSatisfying(snapshot -> assertThat(snapshot.state()).isEqualTo(folded));
            assertThat(store.reduce(cutting, "user-1")).contains(folded);
        }
    }

    /** Rows other software wrote into the table, read strictly: no coercion, the JSON path in the error. */
    @Nested
    class Stored_json_of_the_wrong_type {

        /** Writes a row through the storage SPI, as another program sharing the database would. */
        UUID writeRow(String type, String data) {
            UUID id = UUID.randomUUID();
            adapter.append(new AppendRequest(List.of(new NewEvent(id, "raw", type, data, null,
                    events.clock().now().toString())), Map.of(), Instant.now().truncatedTo(ChronoUnit.MICROS)));
            return id;
        }

        void unreadable(UUID id, String path, String rule) throws InterruptedException {
            // On PostgreSQL the log holds a row back while an older transaction on the server is in flight.
            await("the log returns the row", () -> events.readLog(0, 100).undecodable().stream()
                    .anyMatch(row -> row.id().equals(id)));
            assertThatThrownBy(() -> events.find(id))
                    .isInstanceOfSatisfying(EventDecodingException.class, failure -> assertThat(failure.violations())
                            .extracting(Violation::path, Violation::rule).containsExactly(tuple(path, rule)))
                    .hasMessageContaining(id.toString()).hasMessageContaining(path);
            assertThatThrownBy(() -> events.read("raw")).isInstanceOf(EventDecodingException.class);
            assertThat(events.readLog(0, 100).undecodable()).filteredOn(row -> row.id().equals(id))
                    .singleElement().satisfies(row -> assertThat(row.error().violations())
                            .extracting(Violation::path).containsExactly(path));
        }

        @Test
        void a_number_or_boolean_is_not_read_as_a_string() throws Exception {
            unreadable(writeRow("text", "42"), "data", "type");
        }

        @Test
        void a_fraction_is_not_truncated_into_an_integer() throws Exception {
            unreadable(writeRow("count", "1.5"), "data", "type");
        }

        @Test
        void a_huge_exponent_is_not_read_as_a_decimal() throws Exception {
            // Three characters stored, two thousand and one digits as a decimal: over the limit of 1,000.
            unreadable(writeRow("amount", "1e2000"), "data", "maxNumberLength");
        }

        @Test
        void an_unknown_property_is_named_by_its_json_path() {
            UUID id = UUID.randomUUID();
            store.append(List.of(new PendingEvent<>(id, "user-1", "user:created",
                    userCreated("Jane", "Doe", "jane@example.com"), store.clock().now())));
            UUID renamed = UUID.randomUUID();
            adapter.append(new AppendRequest(List.of(new NewEvent(renamed, "user-2", "user:created",
                    "{\"name\":{\"given\":\"J\",\"familys\":\"D\"},\"email\":\"j@example.com\"}",
                    "{\"auditor\":\"a\"}", store.clock().now().toString())), Map.of(),
                    Instant.now().truncatedTo(ChronoUnit.MICROS)));
            StorageAdapter own = adapter;
            EventStore<TestEvent> users = openStore(TestEvent.registry(), own, builder -> builder);

            assertThatThrownBy(() -> users.find(renamed))
                    .isInstanceOfSatisfying(EventDecodingException.class, failure -> assertThat(failure.violations())
                            .extracting(Violation::path, Violation::rule)
                            .containsExactly(tuple("data.name.familys", "additionalProperties")))
                    .hasMessageNotContaining("$");
        }
    }

    @Nested
    class Imports {

        EventStore<TestEvent> source;

        @BeforeEach
        void openSource() {
            source = openStore(builder -> builder);
        }

        EventRecord<TestEvent> madeAtSource(String stream, TestEvent event) {
            return source.append(stream, event).records().getFirst();
        }

        void nothingImported(ThrowingCallable importing, Class<? extends Throwable> refusal, String... words) {
            HlcTimestamp clockBefore = store.clock().last();

            assertThatThrownBy(importing).isInstanceOf(refusal).hasMessageContainingAll(words);

            assertThat(log(store)).isEmpty();
            assertThat(store.clock().last()).isEqualTo(clockBefore);
            stillUsable();
        }

        @Test
        void of_an_event_created_far_in_the_future_is_refused_whole_naming_it() {
            EventRecord<TestEvent> fine = madeAtSource("user-1", activated());
            EventRecord<TestEvent> farAhead = new EventRecord<>(UUID.randomUUID(), "user-2", "user:activated",
                    activated(), new HlcTimestamp(HlcTimestamp.MAX_TIME, 0), fine.recorded(), 1, 2);

            nothingImported(() -> store.importEvents(List.of(fine, farAhead)), IllegalArgumentException.class,
                    farAhead.id().toString(), "9999-12-31T23:59:59.999Z");
            assertThat(store.append("user-3", activated()).records()).hasSize(1);
        }

        @Test
        void of_an_event_with_the_nil_id_is_refused() {
            EventRecord<TestEvent> fine = madeAtSource("user-1", activated());
            EventRecord<TestEvent> nil = new EventRecord<>(new UUID(0, 0), "user-2", "user:activated", activated(),
                    fine.created(), fine.recorded(), 1, 2);

            nothingImported(() -> store.importEvents(List.of(fine, nil)), IllegalArgumentException.class, "nil");
            assertThatThrownBy(() -> store.append(List.of(new PendingEvent<>(new UUID(0, 0), "user-1",
                    "user:activated", activated(), store.clock().now())))).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void of_an_invalid_or_oversized_event_is_refused_as_an_append_would_be() {
            EventStore<TestEvent> strict = openStore(TestEvents.registryBuilderWithEmailRule()
                    .limits(EventLimits.defaults().withMaxEventBytes(300)).build());
            EventRecord<TestEvent> invalid = madeAtSource("user-1", userCreated("Jane", "Doe", "not-an-email"));
            EventRecord<TestEvent> large = madeAtSource("user-2",
                    givenNameSet("x".repeat(400)));

            assertThatThrownBy(() -> strict.importEvents(List.of(invalid)))
                    .isInstanceOfSatisfying(EventValidationException.class, refusal -> assertThat(
                            refusal.violations()).extracting(Violation::path).containsExactly("data.email"));
            assertThatThrownBy(() -> strict.importEvents(List.of(large)))
                    .isInstanceOfSatisfying(EventValidationException.class, refusal -> assertThat(
                            refusal.violations()).extracting(Violation::rule).containsExactly("maxEventBytes"));
            assertThat(log(strict)).isEmpty();
        }

        @Test
        void from_a_clock_a_little_ahead_is_taken_in() {
            source.clock().update(new HlcTimestamp(store.clock().wallTime() + 60_000, 0));
            EventRecord<TestEvent> ahead = madeAtSource("user-1", activated());

            assertThat(store.importEvents(List.of(ahead)).imported()).extracting(EventRecord::id)
                    .containsExactly(ahead.id());
            Optional<EventRecord<TestEvent>> found = store.find(ahead.id());
            assertThat(found).map(EventRecord::created).contains(ahead.created());
        }
    }
}
