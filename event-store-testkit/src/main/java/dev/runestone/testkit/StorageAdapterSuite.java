package dev.runestone.testkit;

import static dev.runestone.testkit.TestRows.RECORDED;
import static dev.runestone.testkit.TestRows.created;
import static dev.runestone.testkit.TestRows.event;
import static dev.runestone.testkit.TestRows.request;
import static dev.runestone.testkit.TestRows.versioned;
import static dev.runestone.testkit.TestRows.withOrigin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import dev.runestone.ConcurrencyException;
import dev.runestone.Direction;
import dev.runestone.DuplicateEventIdException;
import dev.runestone.EventOrigin;
import dev.runestone.ExpectedVersion;
import dev.runestone.LogPartition;
import dev.runestone.Relation;
import dev.runestone.StoreClosedException;
import dev.runestone.spi.AppendOutcome;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.CheckpointRow;
import dev.runestone.spi.EventKey;
import dev.runestone.spi.EventQuery;
import dev.runestone.spi.GroupCommit;
import dev.runestone.spi.ImportOutcome;
import dev.runestone.spi.ImportStorage;
import dev.runestone.spi.Lease;
import dev.runestone.spi.LogSlice;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.ParkedEventRow;
import dev.runestone.spi.SnapshotAndEvents;
import dev.runestone.spi.SnapshotRow;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.spi.StoredEvent;
import dev.runestone.spi.SubscriptionStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The storage SPI called directly, without an {@link dev.runestone.EventStore} in between: what an adapter alone
 * decides about the rows it is given. Appends with their versions, schema versions and positions, duplicates,
 * expected versions, groups of appends written together, reads, relations, snapshots, imports
 * ({@link ImportStorage}), leases, checkpoints, parked events and the once ledger ({@link SubscriptionStorage}), and
 * a closed adapter. The other suites check the same database through the store, whose validation and clocks stand
 * in front of it; this one reaches the corners they cannot, such as the exact recorded time, JSON text or a stale
 * fencing token.
 *
 * <p>Each test opens one adapter from the fixture and closes it afterwards. The adapter must implement the whole
 * SPI, {@link SubscriptionStorage} and {@link ImportStorage} included.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class StorageAdapterSuite {

    /**
     * How long a test waits for {@code readLog} to catch up with the events committed: on a shared PostgreSQL server,
     * for every transaction in flight anywhere on it.
     */
    static final Duration LOG_PATIENCE = SuiteBase.PATIENCE.multipliedBy(6);

    /** The adapter of the current test, fresh from the fixture. */
    StorageAdapter adapter;

    private final List<ReadModelTable> readModels = new ArrayList<>();

    /** The storage this adapter's tests run on. */
    protected abstract EventStoreFixture fixture();

    @BeforeEach
    void openAdapter() {
        adapter = fixture().open();
    }

    @AfterEach
    void closeAdapter() throws Exception {
        try {
            for (ReadModelTable table : readModels) {
                table.drop();
            }
        } finally {
            adapter.close();
        }
    }

    SubscriptionStorage subscriptions() {
        return SuiteBase.subscriptions(adapter);
    }

    ImportStorage imports() {
        assertThat(adapter).as("an adapter that runs the storage adapter suite keeps imports")
                .isInstanceOf(ImportStorage.class);
        return (ImportStorage) adapter;
    }

    /** A table that work run in a subscription's transaction writes to; dropped after the test. */
    ReadModelTable readModel() throws Exception {
        ReadModelTable table = ReadModelTable.create(adapter);
        readModels.add(table);
        return table;
    }

    List<StoredEvent> readStream(String stream) {
        return adapter.read(new EventQuery(Set.of(stream), Set.of(), null, Direction.ASCENDING, Integer.MAX_VALUE));
    }

    /**
     * Every event of {@code part} up to position {@code last}, read {@code pageSize} at a time from the start, as a
     * subscription partition reads: each read continues from where the one before looked.
     */
    List<StoredEvent> readPart(LogPartition part, int pageSize, long last) {
        List<StoredEvent> events = new ArrayList<>();
        long after = 0;
        long deadline = System.nanoTime() + LOG_PATIENCE.toNanos();
        while (after < last) {
            LogSlice slice = adapter.readLog(after, pageSize, part);
            assertThat(slice.events().size()).isLessThanOrEqualTo(pageSize);
            assertThat(slice.lastPosition()).isGreaterThanOrEqualTo(after);
            events.addAll(slice.events());
            if (slice.lastPosition() == after) {
                // PostgreSQL holds the log back while an older transaction anywhere on the server is in flight.
                LockSupport.parkNanos(5_000_000);
            }
            after = slice.lastPosition();
            assertThat(System.nanoTime()).as("the part's reads reach position " + last).isLessThan(deadline);
        }
        return events;
    }

    List<StoredEvent> correlated(String correlationId) {
        return adapter.read(new EventQuery(null, Set.of(), null, Direction.ASCENDING, Integer.MAX_VALUE,
                correlationId));
    }

    List<StoredEvent> readAll(Direction direction, int limit) {
        return adapter.read(new EventQuery(null, Set.of(), null, direction, limit));
    }

    /**
     * The whole log once {@code readLog} has caught up with every committed event: an adapter may hold events back
     * while a transaction that could still write below them is in flight (PostgreSQL does, for any transaction on
     * the server), which {@code read} never does.
     */
    List<StoredEvent> wholeLog() {
        long deadline = System.nanoTime() + LOG_PATIENCE.toNanos();
        while (true) {
            List<StoredEvent> log = adapter.readLog(0, Integer.MAX_VALUE);
            if (log.size() >= readAll(Direction.ASCENDING, Integer.MAX_VALUE).size() || System.nanoTime() > deadline) {
                return log;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return log;
            }
        }
    }

    /** A lease on a partition nobody holds, for a minute. */
    Lease acquire(String subscription, int partition, String owner) {
        return subscriptions().acquireLease(subscription, partition, owner, Duration.ofMinutes(1), 0, 0)
                .orElseThrow(() -> new AssertionError("partition " + partition + " of '" + subscription
                        + "' was not free"));
    }

    @Nested
    class Appends {

        @Test
        void assigns_versions_one_to_n_per_stream_and_increasing_positions() {
            AppendOutcome first = adapter.append(request(
                    event("a", 1), event("b", 2), event("a", 3), event("a", 4), event("b", 5)));
            AppendOutcome second = adapter.append(request(event("a", 6)));

            assertThat(first.stored()).extracting(StoredEvent::stream, StoredEvent::version)
                    .containsExactly(tuple("a", 1L), tuple("b", 1L), tuple("a", 2L), tuple("a", 3L), tuple("b", 2L));
            assertThat(second.stored()).singleElement().extracting(StoredEvent::version).isEqualTo(4L);
            List<Long> positions = new ArrayList<>();
            first.stored().forEach(stored -> positions.add(stored.position()));
            positions.add(second.stored().getFirst().position());
            assertThat(positions).isSorted().doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).isPositive());
            assertThat(adapter.streamVersion("a")).isEqualTo(4);
            assertThat(adapter.streamVersion("b")).isEqualTo(2);
        }

        @Test
        void returns_exactly_the_rows_it_stored() {
            NewEvent withMeta = new NewEvent(UUID.randomUUID(), "s", "t", "{\"a\": [1, 2]}", "{\"user\": \"x\"}",
                    created(1));
            NewEvent bare = new NewEvent(UUID.randomUUID(), "s", "t", null, null, created(2));

            AppendOutcome outcome = adapter.append(request(withMeta, bare));

            assertThat(outcome.duplicates()).isEmpty();
            assertThat(outcome.stored()).hasSize(2);
            assertThat(readStream("s")).containsExactlyElementsOf(outcome.stored());
            assertThat(adapter.findById(bare.id())).contains(outcome.stored().get(1));
            assertThat(outcome.stored().getFirst().sameEventAs(withMeta)).isTrue();
            assertThat(outcome.stored().get(1).sameEventAs(bare)).isTrue();
            assertThat(outcome.stored().get(1).data()).isNull();
            assertThat(outcome.stored().get(1).meta()).isNull();
        }

        @Test
        void stores_the_recorded_instant_exactly_and_returns_it_unchanged() {
            Instant micros = Instant.parse("2031-12-31T23:59:59.987654Z");
            Instant whole = Instant.parse("1999-01-01T00:00:00Z");
            NewEvent first = event("s", 1);
            NewEvent second = event("s", 2);

            StoredEvent returned = adapter.append(new AppendRequest(List.of(first), Map.of(), micros))
                    .stored().getFirst();
            adapter.append(new AppendRequest(List.of(second), Map.of(), whole));

            assertThat(returned.recorded()).isEqualTo(micros);
            assertThat(adapter.findById(first.id())).get().extracting(StoredEvent::recorded).isEqualTo(micros);
            assertThat(adapter.findById(second.id())).get().extracting(StoredEvent::recorded).isEqualTo(whole);
        }

        @Test
        void stores_the_schema_version_of_each_event_and_returns_it_from_every_read() {
            NewEvent alone = versioned("s", 1, 3);
            NewEvent inBatch = versioned("s", 2, 3);
            NewEvent older = versioned("s", 3, 2);
            NewEvent first = event("s", 4);

            StoredEvent storedAlone = adapter.append(request(alone)).stored().getFirst();
            List<StoredEvent> storedBatch = adapter.append(request(inBatch, older, first)).stored();

            List<StoredEvent> stored = new ArrayList<>(List.of(storedAlone));
            stored.addAll(storedBatch);
            assertThat(stored).extracting(StoredEvent::schemaVersion).containsExactly(3, 3, 2, 1);
            assertThat(readStream("s")).containsExactlyElementsOf(stored);
            assertThat(wholeLog()).containsExactlyElementsOf(stored);
            assertThat(adapter.findById(alone.id())).contains(storedAlone);
            assertThat(adapter.findById(older.id())).get().extracting(StoredEvent::schemaVersion).isEqualTo(2);
            EventQuery stream = new EventQuery(Set.of("s"), Set.of(), null, Direction.ASCENDING, Integer.MAX_VALUE);
            assertThat(adapter.readFromSnapshot("r", "s", stream).events()).containsExactlyElementsOf(stored);
            adapter.saveSnapshot(new SnapshotRow("r", "s", created(1), 1, "{}"));
            assertThat(adapter.readFromSnapshot("r", "s", stream).events())
                    .containsExactlyElementsOf(stored.subList(1, 4));
        }

        @Test
        void stores_the_origin_of_each_event_and_returns_it_from_every_read() {
            String traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            NewEvent root = event("s", 1);
            NewEvent alone = withOrigin(event("s", 2), new EventOrigin(root.id().toString(), root.id().toString(),
                    traceParent, "vendor=a,other=b"));
            NewEvent inBatch = withOrigin(event("s", 3), new EventOrigin("order-7", "command-9", null, null));
            NewEvent ownCorrelation = withOrigin(event("s", 4), EventOrigin.NONE);

            List<StoredEvent> stored = new ArrayList<>();
            stored.add(adapter.append(request(root)).stored().getFirst());
            stored.add(adapter.append(request(alone)).stored().getFirst());
            stored.addAll(adapter.append(request(inBatch, ownCorrelation)).stored());

            assertThat(stored).extracting(StoredEvent::origin).containsExactly(
                    EventOrigin.root(root.id()), alone.origin(), inBatch.origin(),
                    EventOrigin.root(ownCorrelation.id()));
            assertThat(readStream("s")).containsExactlyElementsOf(stored);
            assertThat(wholeLog()).containsExactlyElementsOf(stored);
            assertThat(adapter.findById(alone.id())).contains(stored.get(1));
            EventQuery stream = new EventQuery(Set.of("s"), Set.of(), null, Direction.ASCENDING, Integer.MAX_VALUE);
            assertThat(adapter.readFromSnapshot("r", "s", stream).events()).containsExactlyElementsOf(stored);
        }

        @Test
        void finds_a_conversation_by_its_correlation_id_including_the_event_that_started_it() {
            NewEvent root = event("s", 1);
            NewEvent caused = withOrigin(event("t", 2), new EventOrigin(root.id().toString(), null, null, null));
            NewEvent elsewhere = event("t", 3);
            NewEvent named = withOrigin(event("u", 4), new EventOrigin("order-7", null, null, null));
            adapter.append(request(root, caused, elsewhere, named));

            assertThat(correlated(root.id().toString())).extracting(StoredEvent::id)
                    .containsExactly(root.id(), caused.id());
            assertThat(correlated("order-7")).extracting(StoredEvent::id).containsExactly(named.id());
            assertThat(correlated(UUID.randomUUID().toString())).isEmpty();
            assertThat(correlated(root.id().toString().toUpperCase(Locale.ROOT)))
                    .as("correlation ids are compared as text").isEmpty();
        }

        @Test
        void stores_an_event_made_without_a_schema_version_at_version_1() {
            NewEvent alone = new NewEvent(UUID.randomUUID(), "s", "t", null, null, created(1));
            List<NewEvent> batch = List.of(event("s", 2), event("s", 3));

            StoredEvent storedAlone = adapter.append(request(alone)).stored().getFirst();
            List<StoredEvent> storedBatch = adapter.append(request(batch)).stored();

            assertThat(storedAlone.schemaVersion()).isEqualTo(1);
            assertThat(storedBatch).extracting(StoredEvent::schemaVersion).containsExactly(1, 1);
            assertThat(readStream("s")).extracting(StoredEvent::schemaVersion).containsExactly(1, 1, 1);
            assertThat(wholeLog()).extracting(StoredEvent::schemaVersion).containsExactly(1, 1, 1);
            assertThat(adapter.findById(alone.id())).contains(storedAlone);
        }

        @Test
        void writes_a_large_batch_in_one_append() {
            List<NewEvent> events = IntStream.range(0, 20_000).mapToObj(i -> event("s" + (i % 7), i)).toList();

            AppendOutcome outcome = adapter.append(request(events));

            assertThat(outcome.stored()).hasSize(20_000);
            assertThat(outcome.stored()).extracting(StoredEvent::id)
                    .containsExactlyElementsOf(events.stream().map(NewEvent::id).toList());
            assertThat(outcome.stored()).extracting(StoredEvent::position).isSorted().doesNotHaveDuplicates();
            assertThat(wholeLog()).containsExactlyElementsOf(outcome.stored());
            assertThat(adapter.streamVersion("s0")).isEqualTo(2858);
        }

        @Test
        void keeps_hostile_stream_ids_and_types_verbatim() {
            List<String> hostile = List.of("it's", "say \"hi\"", "x'; DROP TABLE runestone_events; --",
                    "x'; DROP TABLE events; --", "\"); DROP SCHEMA public CASCADE; --", "a;b;c", "back\\slash",
                    "100%_like", "$1", "?", "$$", "tab\tand\nnewline", " padded ", "ünïcødé", "日本語", "emoji 🎉🧪",
                    "null", "NULL", "", "{\"json\": true}", "{a,b}", "x".repeat(1_000));
            for (String value : hostile) {
                adapter.append(request(event(value, value, created(1))));
            }

            for (String value : hostile) {
                assertThat(readStream(value)).singleElement().satisfies(stored -> {
                    assertThat(stored.stream()).isEqualTo(value);
                    assertThat(stored.type()).isEqualTo(value);
                });
                assertThat(adapter.streamVersion(value)).isEqualTo(1);
                assertThat(adapter.hasNewerEvent(value, value, created(0))).isTrue();
            }
            assertThat(wholeLog()).extracting(StoredEvent::stream).containsExactlyElementsOf(hostile);
            assertThat(adapter.read(new EventQuery(Set.copyOf(hostile), Set.of("it's", "$1"), null,
                    Direction.ASCENDING, Integer.MAX_VALUE))).extracting(StoredEvent::stream)
                    .containsExactlyInAnyOrder("it's", "$1");
        }

        @Test
        void writes_nothing_for_an_empty_batch() {
            AppendOutcome outcome = adapter.append(request());

            assertThat(outcome.stored()).isEmpty();
            assertThat(outcome.duplicates()).isEmpty();
            assertThat(wholeLog()).isEmpty();
        }
    }

    @Nested
    class Duplicates {

        @Test
        void skips_and_reports_an_identical_event_stored_before() {
            NewEvent first = event("s", 1);
            NewEvent second = event("s", 2);
            adapter.append(request(first));

            AppendOutcome outcome = adapter.append(request(first, second));

            assertThat(outcome.duplicates()).containsExactly(first.id());
            assertThat(outcome.stored()).singleElement().satisfies(stored -> {
                assertThat(stored.id()).isEqualTo(second.id());
                assertThat(stored.version()).isEqualTo(2);
            });
            assertThat(wholeLog()).extracting(StoredEvent::id).containsExactly(first.id(), second.id());
        }

        @Test
        void refuses_other_content_under_a_stored_id_and_writes_nothing_from_the_batch() {
            NewEvent original = event("s", 1);
            adapter.append(request(original));
            NewEvent innocent = event("other", 2);
            NewEvent impostor = new NewEvent(original.id(), "s", "t", "{\"value\": 43}", null, created(1));

            assertThatThrownBy(() -> adapter.append(request(innocent, impostor)))
                    .isInstanceOfSatisfying(DuplicateEventIdException.class,
                            refused -> assertThat(refused.id()).isEqualTo(original.id()));

            assertThat(adapter.findById(innocent.id())).isEmpty();
            assertThat(adapter.streamVersion("other")).isZero();
            assertThat(wholeLog()).singleElement().satisfies(kept -> assertThat(kept.sameEventAs(original)).isTrue());
        }

        @Test
        void treats_any_differing_field_as_other_content() {
            NewEvent original = new NewEvent(UUID.randomUUID(), "s", "t", "{}", "{}", created(1));
            adapter.append(request(original));
            List<NewEvent> variants = List.of(
                    new NewEvent(original.id(), "s2", "t", "{}", "{}", created(1)),
                    new NewEvent(original.id(), "s", "t2", "{}", "{}", created(1)),
                    new NewEvent(original.id(), "s", "t", null, "{}", created(1)),
                    new NewEvent(original.id(), "s", "t", "{}", null, created(1)),
                    new NewEvent(original.id(), "s", "t", "[]", "{}", created(1)),
                    new NewEvent(original.id(), "s", "t", "{}", "{}", created(2)),
                    new NewEvent(original.id(), "s", "t", "{}", "{}", created(1), 2));

            for (NewEvent variant : variants) {
                assertThatThrownBy(() -> adapter.append(request(variant)))
                        .isInstanceOf(DuplicateEventIdException.class);
            }
            assertThat(wholeLog()).hasSize(1);
        }

        @Test
        void refuses_an_event_at_another_schema_version_and_skips_one_at_the_same() {
            NewEvent original = versioned("s", 1, 3);
            adapter.append(request(original));

            for (int other : List.of(1, 2, 4)) {
                NewEvent elsewhere = new NewEvent(original.id(), original.stream(), original.type(), original.data(),
                        original.meta(), original.created(), other);
                assertThatThrownBy(() -> adapter.append(request(elsewhere)))
                        .isInstanceOfSatisfying(DuplicateEventIdException.class,
                                refused -> assertThat(refused.id()).isEqualTo(original.id()));
                assertThatThrownBy(() -> adapter.append(request(event("s", 2), elsewhere)))
                        .isInstanceOf(DuplicateEventIdException.class);
            }
            NewEvent same = new NewEvent(original.id(), original.stream(), original.type(), original.data(),
                    original.meta(), original.created(), 3);
            AppendOutcome alone = adapter.append(request(same));
            AppendOutcome inBatch = adapter.append(request(same, event("s", 2)));

            assertThat(alone.duplicates()).containsExactly(original.id());
            assertThat(alone.stored()).isEmpty();
            assertThat(inBatch.duplicates()).containsExactly(original.id());
            assertThat(inBatch.stored()).hasSize(1);
            assertThat(wholeLog()).extracting(StoredEvent::id, StoredEvent::schemaVersion)
                    .containsExactly(tuple(original.id(), 3), tuple(inBatch.stored().getFirst().id(), 1));
        }

        @Test
        void reports_a_duplicate_id_before_a_broken_expectation() {
            NewEvent original = event("s", 1);
            adapter.append(request(original));
            NewEvent impostor = new NewEvent(original.id(), "s", "t", "{\"value\": 0}", null, created(1));

            assertThatThrownBy(() -> adapter.append(
                    request(Map.of("other", ExpectedVersion.exactly(5)), event("other", 2), impostor)))
                    .isInstanceOf(DuplicateEventIdException.class);
        }
    }

    @Nested
    class Expectations {

        @Test
        void refuses_an_expected_version_that_does_not_hold_and_writes_nothing() {
            adapter.append(request(event("s", 1), event("s", 2)));
            NewEvent elsewhere = event("other", 3);
            NewEvent late = event("s", 4);

            assertThatThrownBy(() -> adapter.append(
                    request(Map.of("s", ExpectedVersion.exactly(1)), elsewhere, late)))
                    .isInstanceOfSatisfying(ConcurrencyException.class, conflict -> {
                        assertThat(conflict.stream()).isEqualTo("s");
                        assertThat(conflict.expected()).isEqualTo(ExpectedVersion.exactly(1));
                        assertThat(conflict.actual()).isEqualTo(2);
                    });

            assertThat(adapter.findById(elsewhere.id())).isEmpty();
            assertThat(adapter.findById(late.id())).isEmpty();
            assertThat(wholeLog()).hasSize(2);
        }

        @Test
        void accepts_expected_versions_that_hold_across_several_streams() {
            adapter.append(request(Map.of("s", ExpectedVersion.noStream()), event("s", 1)));

            AppendOutcome outcome = adapter.append(request(
                    Map.of("s", ExpectedVersion.exactly(1), "t", ExpectedVersion.noStream(),
                            "u", ExpectedVersion.any()),
                    event("s", 2), event("t", 3), event("u", 4), event("s", 5)));

            assertThat(outcome.stored()).extracting(StoredEvent::stream, StoredEvent::version)
                    .containsExactly(tuple("s", 2L), tuple("t", 1L), tuple("u", 1L), tuple("s", 3L));
            assertThatThrownBy(() -> adapter.append(request(Map.of("s", ExpectedVersion.noStream()), event("s", 6))))
                    .isInstanceOfSatisfying(ConcurrencyException.class,
                            conflict -> assertThat(conflict.actual()).isEqualTo(3));
        }

        @Test
        void does_not_check_a_stream_whose_events_were_all_duplicates() {
            NewEvent event = event("s", 1);
            AppendRequest request = request(Map.of("s", ExpectedVersion.noStream()), event);
            adapter.append(request);

            AppendOutcome retry = adapter.append(request);

            assertThat(retry.stored()).isEmpty();
            assertThat(retry.duplicates()).containsExactly(event.id());
            assertThat(wholeLog()).hasSize(1);
        }

        @Test
        void ignores_an_expectation_for_a_stream_it_writes_nothing_to() {
            AppendOutcome outcome = adapter.append(
                    request(Map.of("absent", ExpectedVersion.exactly(7)), event("s", 1)));

            assertThat(outcome.stored()).hasSize(1);
        }
    }

    /**
     * {@link dev.runestone.spi.EventStorage#appendGroup}: independent appends written in order, each with the
     * outcome {@code append} gives it alone, as adapters that coalesce concurrent appends write them.
     */
    @Nested
    class Appends_in_a_group {

        /** What {@code append} alone makes of {@code request} on {@code storage}: its outcome or its failure. */
        GroupCommit.Result appendAlone(StorageAdapter storage, AppendRequest request) {
            try {
                return GroupCommit.Result.appended(storage.append(request));
            } catch (RuntimeException e) {
                return GroupCommit.Result.failed(e);
            }
        }

        /**
         * Asserts that a group's result is the one {@code append} gave alone: the same rows stored (their positions
         * aside, which another adapter may count differently) and duplicates, or a failure of the same type and
         * message.
         */
        void assertSameResult(GroupCommit.Result inGroup, GroupCommit.Result alone, int index) {
            if (alone.failure() != null) {
                assertThat(inGroup.failure()).as("append %d of the group", index)
                        .isExactlyInstanceOf(alone.failure().getClass())
                        .hasMessage(alone.failure().getMessage());
            } else {
                assertThat(inGroup.outcome()).as("append %d of the group", index).isNotNull();
                assertThat(inGroup.outcome().stored()).as("append %d of the group", index)
                        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("position")
                        .containsExactlyElementsOf(alone.outcome().stored());
                assertThat(inGroup.outcome().duplicates()).as("append %d of the group", index)
                        .containsExactlyElementsOf(alone.outcome().duplicates());
            }
        }

        @Test
        void gives_each_append_the_outcome_it_would_get_alone_and_writes_only_those_that_succeed() {
            NewEvent kept = event("s", 1);
            NewEvent elsewhere = event("b", 3);
            NewEvent innocent = event("b", 5);
            List<AppendRequest> group = List.of(
                    request(event("a", 2)),
                    request(Map.of("s", ExpectedVersion.noStream()), elsewhere, event("s", 4)),
                    request(innocent, new NewEvent(kept.id(), "s", "t", "{\"value\": 43}", null, created(1))),
                    request(kept),
                    request(event("a", 6), event("c", 7)));
            adapter.append(request(kept));

            List<GroupCommit.Result> results = adapter.appendGroup(group);

            List<GroupCommit.Result> alone = new ArrayList<>();
            StorageAdapter other = fixture().open();
            try {
                other.append(request(kept));
                group.forEach(request -> alone.add(appendAlone(other, request)));
            } finally {
                other.close();
            }
            assertThat(results).hasSameSizeAs(group);
            for (int i = 0; i < group.size(); i++) {
                assertSameResult(results.get(i), alone.get(i), i);
            }
            assertThat(results.get(1).failure()).isInstanceOfSatisfying(ConcurrencyException.class, conflict -> {
                assertThat(conflict.stream()).isEqualTo("s");
                assertThat(conflict.actual()).isEqualTo(1);
            });
            assertThat(results.get(2).failure()).isInstanceOfSatisfying(DuplicateEventIdException.class,
                    clash -> assertThat(clash.id()).isEqualTo(kept.id()));
            assertThat(results.get(3).outcome()).isEqualTo(new AppendOutcome(List.of(), List.of(kept.id())));
            List<StoredEvent> written = new ArrayList<>(results.get(0).outcome().stored());
            written.addAll(results.get(4).outcome().stored());
            assertThat(written).extracting(StoredEvent::stream, StoredEvent::version)
                    .containsExactly(tuple("a", 1L), tuple("a", 2L), tuple("c", 1L));
            assertThat(written).extracting(StoredEvent::position).isSorted().doesNotHaveDuplicates();
            assertThat(adapter.findById(elsewhere.id())).isEmpty();
            assertThat(adapter.findById(innocent.id())).isEmpty();
            assertThat(adapter.streamVersion("b")).isZero();
            assertThat(adapter.streamVersion("s")).isEqualTo(1);
            assertThat(readStream("a")).containsExactlyElementsOf(written.subList(0, 2));
            assertThat(wholeLog()).extracting(StoredEvent::id).containsExactly(
                    kept.id(), written.get(0).id(), written.get(1).id(), written.get(2).id());
        }

        @Test
        void ignores_an_expectation_on_a_stream_its_append_writes_nothing_to_though_another_append_writes_it() {
            List<AppendRequest> group = List.of(
                    request(Map.of("s", ExpectedVersion.exactly(5)), event("x", 1)),
                    request(Map.of("s", ExpectedVersion.noStream()), event("s", 2)));

            List<GroupCommit.Result> results = adapter.appendGroup(group);

            assertThat(results).allSatisfy(result -> assertThat(result.failure()).isNull());
            assertThat(readStream("s")).extracting(StoredEvent::version).containsExactly(1L);
            assertThat(readStream("x")).extracting(StoredEvent::version).containsExactly(1L);
        }

        @Test
        void lets_a_later_append_to_a_stream_expect_the_version_an_earlier_one_created() {
            List<AppendRequest> group = List.of(
                    request(Map.of("s", ExpectedVersion.noStream()), event("s", 1), event("s", 2)),
                    request(Map.of("s", ExpectedVersion.exactly(2)), event("s", 3)));

            List<GroupCommit.Result> results = adapter.appendGroup(group);

            assertThat(results).allSatisfy(result -> assertThat(result.failure()).isNull());
            List<StoredEvent> written = new ArrayList<>(results.get(0).outcome().stored());
            written.addAll(results.get(1).outcome().stored());
            assertThat(written).extracting(StoredEvent::version).containsExactly(1L, 2L, 3L);
            assertThat(written).extracting(StoredEvent::position).isSorted().doesNotHaveDuplicates();
            assertThat(readStream("s")).containsExactlyElementsOf(written);
            assertThat(wholeLog()).containsExactlyElementsOf(written);
        }

        @Test
        void refuses_a_later_append_that_expects_the_version_before_an_earlier_one_wrote() {
            adapter.append(request(event("s", 1)));
            NewEvent late = event("s", 3);
            NewEvent elsewhere = event("t", 4);
            List<AppendRequest> group = List.of(
                    request(Map.of("s", ExpectedVersion.exactly(1)), event("s", 2)),
                    request(Map.of("s", ExpectedVersion.exactly(1)), elsewhere, late));

            List<GroupCommit.Result> results = adapter.appendGroup(group);

            assertThat(results.get(0).outcome()).isNotNull();
            assertThat(results.get(0).outcome().stored()).singleElement().extracting(StoredEvent::version)
                    .isEqualTo(2L);
            assertThat(results.get(1).failure()).isInstanceOfSatisfying(ConcurrencyException.class, conflict -> {
                assertThat(conflict.stream()).isEqualTo("s");
                assertThat(conflict.expected()).isEqualTo(ExpectedVersion.exactly(1));
                assertThat(conflict.actual()).isEqualTo(2);
            });
            assertThat(adapter.findById(late.id())).isEmpty();
            assertThat(adapter.findById(elsewhere.id())).isEmpty();
            assertThat(wholeLog()).extracting(StoredEvent::version).containsExactly(1L, 2L);
        }

        @Test
        void reports_an_event_a_later_append_of_the_group_repeats_as_a_duplicate() {
            NewEvent event = event("s", 1);
            NewEvent next = event("s", 2);
            AppendRequest created = request(Map.of("s", ExpectedVersion.noStream()), event);
            List<AppendRequest> group = List.of(created, created, request(event, next));

            List<GroupCommit.Result> results = adapter.appendGroup(group);

            assertThat(results).allSatisfy(result -> assertThat(result.failure()).isNull());
            StoredEvent stored = results.get(0).outcome().stored().getFirst();
            assertThat(results.get(1).outcome()).as("a retry in the same group is a no-op, not a conflict")
                    .isEqualTo(new AppendOutcome(List.of(), List.of(event.id())));
            assertThat(results.get(2).outcome().duplicates()).containsExactly(event.id());
            assertThat(results.get(2).outcome().stored()).singleElement().satisfies(row -> {
                assertThat(row.id()).isEqualTo(next.id());
                assertThat(row.version()).isEqualTo(2);
                assertThat(row.position()).isGreaterThan(stored.position());
            });
            assertThat(wholeLog()).extracting(StoredEvent::id).containsExactly(event.id(), next.id());
        }

        @Test
        void refuses_other_content_under_an_id_an_earlier_append_of_the_group_wrote() {
            NewEvent original = event("s", 1);
            NewEvent innocent = event("t", 2);
            NewEvent sameStream = new NewEvent(original.id(), "s", "t", "{\"value\": 43}", null, created(1));
            // Shares nothing with the original but its id, so only the id ties the two appends together.
            NewEvent elsewhere = new NewEvent(original.id(), "u", "t", original.data(), null, created(1));
            List<AppendRequest> group = List.of(request(original), request(innocent, sameStream),
                    request(elsewhere), request(event("s", 3)));

            List<GroupCommit.Result> results = adapter.appendGroup(group);

            assertThat(results.get(0).outcome()).isNotNull();
            for (int clashing : List.of(1, 2)) {
                assertThat(results.get(clashing).failure()).as("append %d of the group", clashing)
                        .isInstanceOfSatisfying(DuplicateEventIdException.class,
                                clash -> assertThat(clash.id()).isEqualTo(original.id()));
            }
            assertThat(results.get(3).outcome()).isNotNull();
            assertThat(results.get(3).outcome().stored()).singleElement().extracting(StoredEvent::version)
                    .isEqualTo(2L);
            assertThat(adapter.findById(innocent.id())).isEmpty();
            assertThat(adapter.streamVersion("u")).isZero();
            assertThat(adapter.findById(original.id())).get()
                    .satisfies(kept -> assertThat(kept.sameEventAs(original)).isTrue());
            assertThat(wholeLog()).extracting(StoredEvent::stream, StoredEvent::version)
                    .containsExactly(tuple("s", 1L), tuple("s", 2L));
        }
    }

    @Nested
    class Reads {

        @Test
        void reads_one_part_of_the_log_at_a_time_each_event_in_exactly_one_part() {
            List<NewEvent> written = new ArrayList<>(IntStream.range(0, 60)
                    .mapToObj(i -> event("stream-" + i % 17, i + 1)).toList());
            // Its hash is Integer.MIN_VALUE, whose remainder is negative in Java and in SQL alike.
            written.add(event("polygenelubricants", 61));
            adapter.append(request(written));
            List<StoredEvent> log = wholeLog();

            for (int count : new int[] {1, 3, 8}) {
                List<StoredEvent> seen = new ArrayList<>();
                for (int index = 0; index < count; index++) {
                    LogPartition part = new LogPartition(index, count);
                    List<StoredEvent> events = readPart(part, 7, log.getLast().position());
                    assertThat(events).as("part %d of %d", index, count)
                            .allSatisfy(event -> assertThat(part.holds(event.stream())).isTrue())
                            .isSortedAccordingTo(Comparator.comparingLong(StoredEvent::position));
                    seen.addAll(events);
                }
                assertThat(seen).as("%d parts", count).containsExactlyInAnyOrderElementsOf(log);
            }
        }

        @Test
        void reads_a_part_of_a_log_split_into_more_parts_than_a_32_bit_sum_holds() {
            NewEvent extreme = event("polygenelubricants", 1);
            NewEvent other = event("s", 2);
            adapter.append(request(extreme, other));
            long last = wholeLog().getLast().position();
            int count = 2_000_000_000;

            List<StoredEvent> found = readPart(new LogPartition(LogPartition.of(extreme.stream(), count), count), 10,
                    last);

            assertThat(found).extracting(StoredEvent::id).contains(extreme.id());
        }

        @Test
        void ends_a_part_read_at_the_limit_or_else_at_the_last_event_of_any_part() {
            NewEvent first = event("a", 1);
            NewEvent other = event("b", 2);
            NewEvent second = event("a", 3);
            adapter.append(request(first, other, second));
            List<StoredEvent> log = wholeLog();
            LogPartition partOfA = new LogPartition(LogPartition.of("a", 2), 2);
            assertThat(partOfA.holds("b")).as("the streams are in different parts").isFalse();

            LogSlice cut = adapter.readLog(0, 1, partOfA);
            LogSlice rest = adapter.readLog(cut.lastPosition(), 10, partOfA);
            LogSlice nothing = adapter.readLog(rest.lastPosition(), 10, partOfA);

            assertThat(cut.events()).extracting(StoredEvent::id).containsExactly(first.id());
            assertThat(cut.lastPosition()).isEqualTo(log.get(0).position());
            assertThat(rest.events()).extracting(StoredEvent::id).containsExactly(second.id());
            assertThat(rest.lastPosition()).isEqualTo(log.get(2).position());
            assertThat(nothing).isEqualTo(new LogSlice(List.of(), log.get(2).position()));
        }

        @Test
        void orders_by_created_then_position_whatever_the_append_order() {
            NewEvent third = event("a", 3);
            NewEvent first = event("b", 1);
            NewEvent tiedEarlier = event("a", 2);
            NewEvent tiedLater = event("c", 2);
            adapter.append(request(third));
            adapter.append(request(first));
            adapter.append(request(tiedEarlier, tiedLater));

            assertThat(readAll(Direction.ASCENDING, Integer.MAX_VALUE)).extracting(StoredEvent::id)
                    .containsExactly(first.id(), tiedEarlier.id(), tiedLater.id(), third.id());
            assertThat(readAll(Direction.DESCENDING, Integer.MAX_VALUE)).extracting(StoredEvent::id)
                    .containsExactly(third.id(), tiedLater.id(), tiedEarlier.id(), first.id());
        }

        @Test
        void starts_after_the_cursor_in_the_read_direction() {
            adapter.append(request(event("s", 1), event("s", 2), event("s", 3), event("s", 4)));

            assertThat(adapter.read(new EventQuery(Set.of("s"), Set.of(), created(2), Direction.ASCENDING,
                    Integer.MAX_VALUE))).extracting(StoredEvent::created).containsExactly(created(3), created(4));
            assertThat(adapter.read(new EventQuery(Set.of("s"), Set.of(), created(3), Direction.DESCENDING,
                    Integer.MAX_VALUE))).extracting(StoredEvent::created).containsExactly(created(2), created(1));
        }

        @Test
        void returns_at_most_the_limit_from_the_start_of_the_direction() {
            adapter.append(request(event("s", 1), event("s", 2), event("s", 3)));

            assertThat(readAll(Direction.ASCENDING, 2)).extracting(StoredEvent::created)
                    .containsExactly(created(1), created(2));
            assertThat(readAll(Direction.DESCENDING, 2)).extracting(StoredEvent::created)
                    .containsExactly(created(3), created(2));
        }

        @Test
        void keeps_only_the_requested_types() {
            adapter.append(request(event("s", "user:created", created(1)), event("s", "user:renamed", created(2)),
                    event("s", "user:deleted", created(3)), event("other", "user:renamed", created(4))));

            List<StoredEvent> renamedOrDeleted = adapter.read(new EventQuery(Set.of("s"),
                    Set.of("user:renamed", "user:deleted"), null, Direction.ASCENDING, Integer.MAX_VALUE));
            List<StoredEvent> renamedAnywhere = adapter.read(new EventQuery(null, Set.of("user:renamed"), null,
                    Direction.ASCENDING, Integer.MAX_VALUE));

            assertThat(renamedOrDeleted).extracting(StoredEvent::type).containsExactly("user:renamed", "user:deleted");
            assertThat(renamedAnywhere).extracting(StoredEvent::stream).containsExactly("s", "other");
        }

        @Test
        void reads_several_streams_the_whole_log_or_nothing() {
            adapter.append(request(event("a", 1), event("b", 2), event("c", 3)));

            assertThat(adapter.read(new EventQuery(Set.of("a", "c"), Set.of(), null, Direction.ASCENDING,
                    Integer.MAX_VALUE))).extracting(StoredEvent::stream).containsExactly("a", "c");
            assertThat(readAll(Direction.ASCENDING, Integer.MAX_VALUE)).extracting(StoredEvent::stream)
                    .containsExactly("a", "b", "c");
            assertThat(adapter.read(new EventQuery(Set.of(), Set.of(), null, Direction.ASCENDING,
                    Integer.MAX_VALUE))).isEmpty();
            assertThat(readStream("unknown")).isEmpty();
        }

        @Test
        void reads_a_query_over_thousands_of_streams_in_created_order() {
            int streams = 5_000;
            List<NewEvent> events = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                events.add(event("s" + i, i % 2 == 0 ? "even" : "odd", created(streams - i)));
            }
            adapter.append(request(events));
            adapter.append(request(event("outsider", "even", created(0))));
            Set<String> all = new HashSet<>();
            IntStream.range(0, streams).forEach(i -> all.add("s" + i));

            List<StoredEvent> ascending = adapter.read(
                    new EventQuery(all, Set.of(), null, Direction.ASCENDING, Integer.MAX_VALUE));
            List<StoredEvent> newestEvens = adapter.read(
                    new EventQuery(all, Set.of("even"), created(1_500), Direction.DESCENDING, 3));

            assertThat(ascending).hasSize(streams);
            assertThat(ascending).extracting(StoredEvent::created).isSorted();
            assertThat(ascending.getFirst().stream()).isEqualTo("s4999");
            assertThat(newestEvens).extracting(StoredEvent::stream).containsExactly("s3502", "s3504", "s3506");
        }

        @Test
        void reads_the_log_in_position_order_after_a_position() {
            adapter.append(request(event("a", 3), event("b", 1)));
            adapter.append(request(event("c", 2)));

            List<StoredEvent> log = wholeLog();
            assertThat(log).extracting(StoredEvent::stream).containsExactly("a", "b", "c");
            assertThat(adapter.readLog(0, 10)).isEqualTo(log);
            assertThat(adapter.readLog(log.getFirst().position(), 1)).extracting(StoredEvent::stream)
                    .containsExactly("b");
            assertThat(adapter.readLog(log.get(1).position(), 10)).extracting(StoredEvent::stream)
                    .containsExactly("c");
            assertThat(adapter.readLog(log.getLast().position(), 10)).isEmpty();
            assertThatThrownBy(() -> adapter.readLog(0, 0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void awaits_an_event_after_a_position_returning_at_once_when_there_is_one_and_false_when_none_comes()
                throws Exception {
            StoredEvent first = adapter.append(request(event("s", 1))).stored().getFirst();

            assertThat(adapter.awaitEvents(0, LOG_PATIENCE)).isTrue();
            assertThat(adapter.awaitEvents(first.position(), Duration.ofMillis(100))).isFalse();
            assertThat(adapter.awaitEvents(first.position(), Duration.ZERO)).isFalse();
        }

        @Test
        void wakes_a_reader_awaiting_events_with_an_append() throws Exception {
            StoredEvent first = adapter.append(request(event("s", 1))).stored().getFirst();

            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return adapter.awaitEvents(first.position(), LOG_PATIENCE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            StoredEvent second = adapter.append(request(event("s", 2))).stored().getFirst();

            assertThat(waiting.get(LOG_PATIENCE.multipliedBy(2).toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(adapter.readLog(first.position(), 10)).containsExactly(second);
        }

        @Test
        void finds_an_event_by_id() {
            NewEvent event = event("s", 1);
            adapter.append(request(event));

            assertThat(adapter.findById(event.id())).get().satisfies(found -> {
                assertThat(found.sameEventAs(event)).isTrue();
                assertThat(found.version()).isEqualTo(1);
                assertThat(found.recorded()).isEqualTo(RECORDED);
            });
            assertThat(adapter.findById(UUID.randomUUID())).isEmpty();
        }

        @Test
        void tells_whether_a_stream_has_a_newer_event_of_a_type() {
            adapter.append(request(event("s", "user:renamed", created(5)), event("s", "user:created", created(9))));

            assertThat(adapter.hasNewerEvent("s", "user:renamed", created(4))).isTrue();
            assertThat(adapter.hasNewerEvent("s", "user:renamed", created(5))).isFalse();
            assertThat(adapter.hasNewerEvent("s", "user:renamed", created(6))).isFalse();
            assertThat(adapter.hasNewerEvent("s", "user:deleted", created(1))).isFalse();
            assertThat(adapter.hasNewerEvent("other", "user:renamed", created(1))).isFalse();
        }

        @Test
        void tells_which_of_many_events_are_outdated_in_one_call_as_the_single_look_does() {
            List<NewEvent> written = new ArrayList<>();
            for (int n = 1; n <= 450; n++) {
                written.add(event("stream-" + n % 7, "type-" + n % 3, created(n)));
            }
            adapter.append(request(written));
            List<EventKey> keys = new ArrayList<>();
            for (NewEvent event : written) {
                keys.add(new EventKey(event.id(), event.stream(), event.type(), event.created()));
            }
            keys.add(new EventKey(UUID.randomUUID(), "stream-1", "type-1", created(0)));
            keys.add(new EventKey(UUID.randomUUID(), "no such stream", "type-1", created(0)));

            Set<UUID> outdated = adapter.outdatedAmong(keys);

            Set<UUID> expected = new HashSet<>();
            for (EventKey key : keys) {
                if (adapter.hasNewerEvent(key.stream(), key.type(), key.created())) {
                    expected.add(key.id());
                }
            }
            assertThat(expected).hasSizeBetween(400, keys.size() - 1);
            assertThat(outdated).isEqualTo(expected);
            assertThat(adapter.outdatedAmong(List.of())).isEmpty();
        }

        @Test
        void reports_version_zero_for_a_stream_without_events() {
            assertThat(adapter.streamVersion("nothing here")).isZero();
        }
    }

    @Nested
    class Relations {

        @Test
        void maps_keys_to_streams_and_ignores_repeats() {
            adapter.addRelations(List.of(new Relation("user:1:posts", "post-1"),
                    new Relation("user:1:posts", "post-2"), new Relation("user:2:posts", "post-3"),
                    new Relation("user:1:posts", "post-1")));
            adapter.addRelations(List.of(new Relation("user:1:posts", "post-1")));

            assertThat(adapter.streamsByKeys(List.of("user:1:posts"))).containsExactlyInAnyOrder("post-1", "post-2");
            assertThat(adapter.streamsByKeys(List.of("user:1:posts", "user:2:posts")))
                    .containsExactlyInAnyOrder("post-1", "post-2", "post-3");
            assertThat(adapter.streamsByKeys(List.of("nobody"))).isEmpty();
            assertThat(adapter.streamsByKeys(List.of())).isEmpty();
        }

        @Test
        void removes_relations_one_by_one_by_key_or_by_stream() {
            adapter.addRelations(List.of(new Relation("k1", "s1"), new Relation("k1", "s2"),
                    new Relation("k2", "s2"), new Relation("k3", "s3"), new Relation("k4", "s4")));

            adapter.removeRelations(List.of(new Relation("k1", "s1"), new Relation("k1", "missing")));
            adapter.removeRelationsByStreams(List.of("s2"));
            adapter.removeRelationsByKeys(List.of("k3"));

            assertThat(adapter.streamsByKeys(List.of("k1", "k2", "k3", "k4"))).containsExactly("s4");
        }

        @Test
        void handles_thousands_of_keys_at_once() {
            List<Relation> relations = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                relations.add(new Relation("k" + i, "s" + i));
                keys.add("k" + i);
            }
            adapter.addRelations(relations);

            assertThat(adapter.streamsByKeys(keys)).hasSize(5_000);

            adapter.removeRelationsByKeys(keys.subList(0, 2_500));
            adapter.removeRelationsByStreams(IntStream.range(2_500, 4_990).mapToObj(i -> "s" + i).toList());
            assertThat(adapter.streamsByKeys(keys)).hasSize(10);
        }

        @Test
        void keeps_hostile_keys_and_streams_verbatim() {
            List<Relation> hostile = List.of(
                    new Relation("k'); DELETE FROM runestone_relations; --", "s\"; 🎉"),
                    new Relation("k'); DELETE FROM relations; --", "s\"; 🎉 {a,b} $1"));

            adapter.addRelations(List.of(hostile.get(0), hostile.get(1), new Relation("plain", "plain")));

            for (Relation relation : hostile) {
                assertThat(adapter.streamsByKeys(List.of(relation.key()))).containsExactly(relation.stream());
            }
            assertThat(adapter.streamsByKeys(List.of("plain"))).containsExactly("plain");
            adapter.removeRelations(hostile);
            assertThat(adapter.streamsByKeys(hostile.stream().map(Relation::key).toList())).isEmpty();
            assertThat(adapter.streamsByKeys(List.of("plain"))).containsExactly("plain");
        }
    }

    @Nested
    class Snapshots {

        @Test
        void saves_finds_replaces_and_deletes_a_snapshot() {
            SnapshotRow first = new SnapshotRow("balance", "account-1", created(3), 3, "{\"total\":10}");
            SnapshotRow newer = new SnapshotRow("balance", "account-1", created(7), 7, "{\"total\": 25}");
            SnapshotRow otherReducer = new SnapshotRow("history", "account-1", created(2), 2, "[]");

            adapter.saveSnapshot(first);
            adapter.saveSnapshot(otherReducer);
            assertThat(adapter.findSnapshot("balance", "account-1")).contains(first);

            adapter.saveSnapshot(newer);
            assertThat(adapter.findSnapshot("balance", "account-1")).contains(newer);

            adapter.deleteSnapshot("balance", "account-1");
            adapter.deleteSnapshot("balance", "never saved");
            assertThat(adapter.findSnapshot("balance", "account-1")).isEmpty();
            assertThat(adapter.findSnapshot("history", "account-1")).contains(otherReducer);
        }

        @Test
        void keeps_hostile_reducer_names_and_keys_verbatim() {
            SnapshotRow hostile = new SnapshotRow("r'; --", "k\"\\ 🎉", created(1), 0, "{\"x\": \"'\"}");

            adapter.saveSnapshot(hostile);

            assertThat(adapter.findSnapshot(hostile.reducer(), hostile.key())).contains(hostile);
        }

        @Test
        void reads_a_stream_after_its_snapshot_in_one_call() {
            adapter.append(request(event("s", "t", created(1)), event("s", "u", created(2)),
                    event("s", "t", created(3)), event("other", "t", created(4))));
            List<StoredEvent> stream = readStream("s");
            EventQuery everything = new EventQuery(Set.of("s"), Set.of(), null, Direction.ASCENDING,
                    Integer.MAX_VALUE);
            EventQuery onlyT = new EventQuery(Set.of("s"), Set.of("t"), null, Direction.ASCENDING,
                    Integer.MAX_VALUE);

            SnapshotAndEvents withoutSnapshot = adapter.readFromSnapshot("r", "s", everything);
            SnapshotRow snapshot = new SnapshotRow("r", "s", created(1), 1, "{\"n\": 1}");
            adapter.saveSnapshot(snapshot);
            adapter.saveSnapshot(new SnapshotRow("another reducer", "s", created(3), 3, "{}"));
            SnapshotAndEvents afterSnapshot = adapter.readFromSnapshot("r", "s", everything);
            SnapshotAndEvents ofOneType = adapter.readFromSnapshot("r", "s", onlyT);

            assertThat(withoutSnapshot.snapshot()).isNull();
            assertThat(withoutSnapshot.events()).isEqualTo(stream);
            assertThat(afterSnapshot.snapshot()).isEqualTo(snapshot);
            assertThat(afterSnapshot.events()).isEqualTo(stream.subList(1, 3));
            assertThat(ofOneType.snapshot()).isEqualTo(snapshot);
            assertThat(ofOneType.events()).containsExactly(stream.get(2));
        }
    }

    @Nested
    class Imports {

        @Test
        void decides_which_events_are_outdated_and_records_each_one_it_stored_as_imported() {
            NewEvent storedHere = event("s", 5);
            adapter.append(request(storedHere, event("s", "other type", created(9))));
            NewEvent olderThanStored = event("s", 3);
            NewEvent newest = event("s", 8);
            NewEvent olderThanAnEarlierOne = event("s", 7);
            NewEvent aloneInItsStream = event("u", 1);

            ImportOutcome outcome = imports().importEvents(request(storedHere, olderThanStored, newest,
                    olderThanAnEarlierOne, aloneInItsStream));

            assertThat(outcome.duplicates()).containsExactly(storedHere.id());
            assertThat(outcome.stored()).extracting(StoredEvent::id, StoredEvent::version).containsExactly(
                    tuple(olderThanStored.id(), 3L), tuple(newest.id(), 4L), tuple(olderThanAnEarlierOne.id(), 5L),
                    tuple(aloneInItsStream.id(), 1L));
            assertThat(outcome.outdated()).as("a newer event of the type is stored, or came earlier in the import")
                    .containsExactlyInAnyOrder(olderThanStored.id(), olderThanAnEarlierOne.id());
            assertThat(imports().importedAmong(List.of(storedHere.id(), olderThanStored.id(), newest.id(),
                    olderThanAnEarlierOne.id(), aloneInItsStream.id(), UUID.randomUUID())))
                    .as("a skipped duplicate is not recorded as imported")
                    .containsOnly(entry(olderThanStored.id(), true), entry(newest.id(), false),
                            entry(olderThanAnEarlierOne.id(), true), entry(aloneInItsStream.id(), false));
            assertThat(imports().importedAmong(List.of())).isEmpty();
        }

        @Test
        void drops_every_snapshot_of_the_stream_or_of_a_key_holding_it_whose_cursor_lies_after_the_event() {
            adapter.addRelations(List.of(new Relation("k", "s"), new Relation("k", "t"),
                    new Relation("unrelated", "t")));
            List<SnapshotRow> stale = List.of(
                    new SnapshotRow("r1", "s", created(5), 1, "{}"),
                    new SnapshotRow("r2", "s", created(9), 2, "{}"),
                    new SnapshotRow("r1", "k", created(6), 0, "{}"));
            List<SnapshotRow> kept = List.of(
                    new SnapshotRow("r3", "s", created(4), 1, "{}"),
                    new SnapshotRow("r2", "k", created(3), 0, "{}"),
                    new SnapshotRow("r1", "t", created(9), 1, "{}"),
                    new SnapshotRow("r1", "unrelated", created(9), 0, "{}"));
            stale.forEach(adapter::saveSnapshot);
            kept.forEach(adapter::saveSnapshot);

            imports().importEvents(request(event("s", 4)));

            for (SnapshotRow snapshot : stale) {
                assertThat(adapter.findSnapshot(snapshot.reducer(), snapshot.key())).as("%s", snapshot).isEmpty();
            }
            for (SnapshotRow snapshot : kept) {
                assertThat(adapter.findSnapshot(snapshot.reducer(), snapshot.key())).as("%s", snapshot)
                        .contains(snapshot);
            }
        }

        @Test
        void keeps_the_schema_version_of_each_event_it_stores() {
            NewEvent current = versioned("s", 1, 3);
            NewEvent older = versioned("s", 2, 2);

            ImportOutcome outcome = imports().importEvents(request(current, older));

            assertThat(outcome.stored()).extracting(StoredEvent::schemaVersion).containsExactly(3, 2);
            assertThat(readStream("s")).containsExactlyElementsOf(outcome.stored());
        }

        @Test
        void refused_for_other_content_under_a_stored_id_keeps_nothing_of_the_import() {
            NewEvent original = event("s", 5);
            adapter.append(request(original));
            SnapshotRow snapshot = new SnapshotRow("r", "t", created(9), 1, "{}");
            adapter.saveSnapshot(snapshot);
            NewEvent older = event("t", 1);
            NewEvent impostor = new NewEvent(original.id(), "s", "t", "{\"value\": 43}", null, created(5));

            assertThatThrownBy(() -> imports().importEvents(request(older, impostor)))
                    .isInstanceOfSatisfying(DuplicateEventIdException.class,
                            refused -> assertThat(refused.id()).isEqualTo(original.id()));

            assertThat(adapter.findById(older.id())).isEmpty();
            assertThat(imports().importedAmong(List.of(older.id(), original.id()))).isEmpty();
            assertThat(adapter.findSnapshot("r", "t")).contains(snapshot);
        }
    }

    @Nested
    class Leases {

        @Test
        void grant_a_partition_to_one_owner_at_a_time_starting_at_the_given_checkpoint() {
            Lease lease = subscriptions().acquireLease("sub", 0, "a", Duration.ofMinutes(1), 5, 8).orElseThrow();

            assertThat(lease).isEqualTo(new Lease("sub", 0, "a", lease.token(), 5, 8));
            assertThat(subscriptions().acquireLease("sub", 0, "b", Duration.ofMinutes(1), 0, 0)).isEmpty();
            Lease otherPartition = acquire("sub", 1, "b");
            Lease otherSubscription = acquire("other", 0, "b");
            assertThat(subscriptions().checkpoints("sub")).containsExactly(
                    new CheckpointRow("sub", 0, 5, 8, "a", lease.token()),
                    new CheckpointRow("sub", 1, 0, 0, "b", otherPartition.token()));
            assertThat(subscriptions().checkpoints("other")).containsExactly(
                    new CheckpointRow("other", 0, 0, 0, "b", otherSubscription.token()));
        }

        @Test
        void released_go_to_the_next_owner_at_once_with_a_larger_token_and_the_stored_checkpoint() {
            Lease first = acquire("sub", 0, "a");
            subscriptions().commitCheckpoint(first, 7);

            subscriptions().releaseLease(first);

            assertThat(subscriptions().checkpoints("sub")).singleElement().satisfies(row -> {
                assertThat(row.owner()).isNull();
                assertThat(row.position()).isEqualTo(7);
            });
            Lease next = subscriptions().acquireLease("sub", 0, "b", Duration.ofMinutes(1), 100, 100).orElseThrow();
            assertThat(next.token()).isGreaterThan(first.token());
            assertThat(next.position()).as("the stored checkpoint, not the start position").isEqualTo(7);
            assertThat(next.highWater()).isEqualTo(7);
        }

        @Test
        void renewed_outlive_their_first_term_while_those_not_renewed_run_out() throws Exception {
            SubscriptionStorage storage = subscriptions();
            Lease renewed = storage.acquireLease("sub", 0, "a", Duration.ofMillis(300), 0, 0).orElseThrow();
            storage.acquireLease("sub", 1, "a", Duration.ofMillis(300), 0, 0).orElseThrow();

            assertThat(storage.renewLease(renewed, Duration.ofMinutes(1))).isTrue();

            // Partition 1 was granted after partition 0: once it has run out, so has partition 0's first term.
            SuiteBase.await("the lease not renewed runs out", () -> storage.acquireLease("sub", 1, "b",
                    Duration.ofMinutes(1), 0, 0).isPresent());
            assertThat(storage.acquireLease("sub", 0, "b", Duration.ofMinutes(1), 0, 0)).isEmpty();
            assertThat(storage.checkpoints("sub")).extracting(CheckpointRow::owner).containsExactly("a", "b");
        }
    }

    @Nested
    class Members {

        @Test
        void are_counted_while_their_heartbeats_last_and_forgotten_once_they_leave_or_fall_silent()
                throws Exception {
            SubscriptionStorage storage = subscriptions();

            assertThat(storage.heartbeat("sub", "a", Duration.ofMinutes(1))).isEqualTo(1);
            assertThat(storage.heartbeat("sub", "b", Duration.ofMinutes(1))).isEqualTo(2);
            assertThat(storage.heartbeat("sub", "a", Duration.ofMinutes(1))).isEqualTo(2);
            assertThat(storage.heartbeat("other", "c", Duration.ofMinutes(1))).isEqualTo(1);
            storage.leave("sub", "b");
            assertThat(storage.heartbeat("sub", "a", Duration.ofMinutes(1))).isEqualTo(1);
            assertThat(storage.heartbeat("sub", "silent", Duration.ofMillis(100))).isEqualTo(2);

            SuiteBase.await("the silent member is forgotten",
                    () -> storage.heartbeat("sub", "a", Duration.ofMinutes(1)) == 1);
        }
    }

    @Nested
    class Checkpoints {

        @Test
        void are_committed_with_the_current_token_raising_the_high_water_mark_and_never_lowering_it() {
            Lease lease = subscriptions().acquireLease("sub", 0, "a", Duration.ofMinutes(1), 0, 10).orElseThrow();

            assertThat(subscriptions().commitCheckpoint(lease, 4)).isTrue();
            assertThat(subscriptions().checkpoints("sub")).singleElement()
                    .isEqualTo(new CheckpointRow("sub", 0, 4, 10, "a", lease.token()));
            assertThat(subscriptions().commitCheckpoint(lease, 12)).isTrue();
            assertThat(subscriptions().checkpoints("sub")).singleElement()
                    .isEqualTo(new CheckpointRow("sub", 0, 12, 12, "a", lease.token()));
        }

        @Test
        void refuse_a_stale_token_and_write_nothing() throws Exception {
            Lease stale = acquire("sub", 0, "a");
            subscriptions().releaseLease(stale);
            Lease current = acquire("sub", 0, "b");
            List<UUID> ran = new ArrayList<>();

            assertThat(subscriptions().commitCheckpoint(stale, 9)).isFalse();
            assertThat(subscriptions().commitInTransaction(stale, 9, UUID.randomUUID(), connection -> {
                ran.add(UUID.randomUUID());
                return List.of("mail");
            })).isFalse();
            assertThat(subscriptions().renewLease(stale, Duration.ofMinutes(1))).isFalse();
            subscriptions().releaseLease(stale);

            assertThat(ran).as("fenced work does not run").isEmpty();
            assertThat(subscriptions().checkpoints("sub")).singleElement()
                    .isEqualTo(new CheckpointRow("sub", 0, 0, 0, "b", current.token()));
        }

        @Test
        void commit_in_one_transaction_with_the_work_and_the_once_keys_it_returns() throws Exception {
            ReadModelTable table = readModel();
            Lease lease = acquire("sub", 0, "a");
            UUID eventId = UUID.randomUUID();

            boolean committed = subscriptions().commitInTransaction(lease, 3, eventId, connection -> {
                table.insert(connection, eventId, "s", 1);
                return List.of("mail", "row");
            });

            assertThat(committed).isTrue();
            assertThat(table.eventIds()).containsExactly(eventId);
            assertThat(subscriptions().onceDone(List.of("mail", "row", "other"), eventId))
                    .containsExactlyInAnyOrder("mail", "row");
            assertThat(subscriptions().checkpoints("sub")).singleElement().extracting(CheckpointRow::position)
                    .isEqualTo(3L);
        }

        @Test
        void stay_where_they_were_when_the_work_of_their_transaction_fails_and_so_does_everything_else()
                throws Exception {
            ReadModelTable table = readModel();
            Lease lease = acquire("sub", 0, "a");
            UUID eventId = UUID.randomUUID();
            IllegalStateException failure = new IllegalStateException("failed after writing its row");

            assertThatThrownBy(() -> subscriptions().commitInTransaction(lease, 3, eventId, connection -> {
                table.insert(connection, eventId, "s", 1);
                throw failure;
            })).isSameAs(failure);

            assertThat(table.eventIds()).isEmpty();
            assertThat(subscriptions().onceDone(List.of("mail"), eventId)).isEmpty();
            assertThat(subscriptions().checkpoints("sub")).singleElement().extracting(CheckpointRow::position)
                    .isEqualTo(0L);
        }

        @Test
        void are_listed_in_partition_order_and_reset_together_keeping_their_high_water_marks() {
            for (int partition : List.of(2, 0, 1)) {
                subscriptions().commitCheckpoint(acquire("sub", partition, "a"), 10L * (partition + 1));
            }
            subscriptions().commitCheckpoint(acquire("other", 0, "a"), 5);

            subscriptions().resetCheckpoints("sub", 0);

            assertThat(subscriptions().checkpoints("sub"))
                    .extracting(CheckpointRow::partition, CheckpointRow::position, CheckpointRow::highWater)
                    .containsExactly(tuple(0, 0L, 10L), tuple(1, 0L, 20L), tuple(2, 0L, 30L));
            assertThat(subscriptions().checkpoints("other")).singleElement().extracting(CheckpointRow::position)
                    .isEqualTo(5L);
            assertThat(subscriptions().checkpoints("never ran")).isEmpty();
        }

        @Test
        void start_from_the_end_at_or_after_every_event_read_and_before_every_event_appended_later() {
            long beforeAny = subscriptions().lastPosition();
            assertThat(beforeAny).as("the end of an empty log").isZero();
            AppendOutcome first = adapter.append(request(event("s", 1), event("s", 2)));
            List<StoredEvent> log = wholeLog();

            long end = subscriptions().lastPosition();
            StoredEvent later = adapter.append(request(event("s", 3))).stored().getFirst();

            assertThat(first.stored().getFirst().position()).isGreaterThan(beforeAny);
            assertThat(end).isGreaterThanOrEqualTo(log.getLast().position());
            assertThat(later.position()).isGreaterThan(end);
        }
    }

    @Nested
    class Parked_events {

        @Test
        void are_listed_per_subscription_in_position_order_replaced_when_parked_again_and_deleted() {
            Instant at = Instant.parse("2025-05-06T07:08:09.123456Z");
            ParkedEventRow late = new ParkedEventRow("sub", UUID.randomUUID(), 9,
                    "java.lang.IllegalStateException: it's late\n\tat handler(Handler.java:1)", 3, at);
            ParkedEventRow early = new ParkedEventRow("sub", UUID.randomUUID(), 3, "early", 1, at);
            ParkedEventRow elsewhere = new ParkedEventRow("other", early.eventId(), 3, "in another subscription", 2,
                    at);
            subscriptions().park(late);
            subscriptions().park(early);
            subscriptions().park(elsewhere);

            ParkedEventRow retried = new ParkedEventRow("sub", late.eventId(), 9, "failed again", 4,
                    at.plusSeconds(60));
            subscriptions().park(retried);

            assertThat(subscriptions().parkedEvents("sub")).containsExactly(early, retried);
            assertThat(subscriptions().parkedEvents("other")).containsExactly(elsewhere);
            assertThat(subscriptions().deleteParked("sub", early.eventId())).isTrue();
            assertThat(subscriptions().deleteParked("sub", early.eventId())).isFalse();
            assertThat(subscriptions().parkedEvents("sub")).containsExactly(retried);
            assertThat(subscriptions().parkedEvents("other")).containsExactly(elsewhere);
            assertThat(subscriptions().parkedEvents("nobody")).isEmpty();
        }
    }

    @Nested
    class The_once_ledger {

        @Test
        void holds_the_once_handlers_that_succeeded_for_each_event() {
            UUID event = UUID.randomUUID();
            UUID other = UUID.randomUUID();

            subscriptions().markOnceDone("mail", event);
            subscriptions().markOnceDone("mail", event);
            subscriptions().markOnceDone("it's; --", event);
            subscriptions().markOnceDone("row", other);

            assertThat(subscriptions().onceDone(List.of("mail", "row", "it's; --", "never"), event))
                    .containsExactlyInAnyOrder("mail", "it's; --");
            assertThat(subscriptions().onceDone(List.of("mail", "row"), other)).containsExactly("row");
            assertThat(subscriptions().onceDone(List.of(), event)).isEmpty();
        }

        @Test
        void records_the_keys_of_work_run_outside_a_checkpoint_or_nothing_if_it_fails() throws Exception {
            ReadModelTable table = readModel();
            Lease lease = acquire("sub", 0, "a");
            subscriptions().commitCheckpoint(lease, 4);
            UUID retried = UUID.randomUUID();
            UUID failing = UUID.randomUUID();
            IllegalStateException failure = new IllegalStateException("failed after writing its row");

            subscriptions().runInTransaction(retried, connection -> {
                table.insert(connection, retried, "s", 1);
                return List.of("mail");
            });
            assertThatThrownBy(() -> subscriptions().runInTransaction(failing, connection -> {
                table.insert(connection, failing, "s", 2);
                throw failure;
            })).isSameAs(failure);

            assertThat(table.eventIds()).containsExactly(retried);
            assertThat(subscriptions().onceDone(List.of("mail"), retried)).containsExactly("mail");
            assertThat(subscriptions().onceDone(List.of("mail"), failing)).isEmpty();
            assertThat(subscriptions().checkpoints("sub")).singleElement()
                    .isEqualTo(new CheckpointRow("sub", 0, 4, 4, "a", lease.token()));
        }
    }

    @Nested
    class A_closed_adapter {

        @Test
        void refuses_every_call_and_closing_it_twice_is_harmless() {
            adapter.append(request(event("s", 1)));
            SubscriptionStorage storage = subscriptions();
            ImportStorage imports = imports();
            Lease lease = acquire("sub", 0, "a");
            adapter.close();
            adapter.close();

            List<ThrowingCallable> calls = List.of(
                    () -> adapter.append(request(event("s", 2))),
                    () -> adapter.append(request()),
                    () -> readStream("s"),
                    () -> adapter.read(new EventQuery(Set.of(), Set.of(), null, Direction.ASCENDING, 1)),
                    () -> adapter.read(new EventQuery(null, Set.of(), null, Direction.ASCENDING, 1)),
                    () -> adapter.readLog(0, 10),
                    () -> adapter.findById(UUID.randomUUID()),
                    () -> adapter.hasNewerEvent("s", "t", created(0)),
                    () -> adapter.streamVersion("s"),
                    () -> adapter.awaitEvents(0, Duration.ZERO),
                    () -> adapter.addRelations(List.of(new Relation("k", "s"))),
                    () -> adapter.removeRelations(List.of(new Relation("k", "s"))),
                    () -> adapter.streamsByKeys(List.of("k")),
                    () -> adapter.removeRelationsByKeys(List.of("k")),
                    () -> adapter.removeRelationsByStreams(List.of("s")),
                    () -> adapter.saveSnapshot(new SnapshotRow("r", "k", created(1), 1, "{}")),
                    () -> adapter.findSnapshot("r", "k"),
                    () -> adapter.deleteSnapshot("r", "k"),
                    () -> imports.importEvents(request(event("s", 3))),
                    () -> imports.importedAmong(List.of(UUID.randomUUID())),
                    () -> storage.lastPosition(),
                    () -> storage.acquireLease("sub", 1, "a", Duration.ofMinutes(1), 0, 0),
                    () -> storage.commitCheckpoint(lease, 1),
                    () -> storage.commitInTransaction(lease, 1, UUID.randomUUID(), connection -> List.of()),
                    () -> storage.runInTransaction(UUID.randomUUID(), connection -> List.of()),
                    () -> storage.checkpoints("sub"),
                    () -> storage.parkedEvents("sub"),
                    () -> storage.onceDone(List.of("mail"), UUID.randomUUID()));
            for (ThrowingCallable call : calls) {
                assertThatThrownBy(call).isInstanceOf(StoreClosedException.class).hasMessageContaining("is closed");
            }
        }
    }
}
