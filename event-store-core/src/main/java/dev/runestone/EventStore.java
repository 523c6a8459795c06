package dev.runestone;

import dev.runestone.EventValidationException.Violation;
import dev.runestone.clock.HlcTimestamp;
import dev.runestone.clock.HybridLogicalClock;
import dev.runestone.instrumentation.AppendOperation;
import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.instrumentation.Operation;
import dev.runestone.instrumentation.Read;
import dev.runestone.instrumentation.ReduceOperation;
import dev.runestone.internal.CurrentOrigin;
import dev.runestone.internal.SubscriptionAccess;
import dev.runestone.internal.WellFormedText;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.projector.Projector;
import dev.runestone.registry.EventRegistry;
import dev.runestone.registry.EventRegistry.EncodedEvent;
import dev.runestone.spi.AppendOutcome;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.EventQuery;
import dev.runestone.spi.ImportStorage;
import dev.runestone.spi.LogSlice;
import dev.runestone.spi.NewEvent;
import dev.runestone.spi.SnapshotAndEvents;
import dev.runestone.spi.SnapshotRow;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.spi.StoredEvent;
import dev.runestone.spi.SubscriptionStorage;
import dev.runestone.subscription.SubscriptionBuilder;
import dev.runestone.subscription.Subscriptions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Main entry point: an event store over a {@link StorageAdapter}, typed by the events of an {@link EventRegistry}.
 *
 * <pre>{@code
 * try (EventStore<UserEvent> store = EventStore.builder(UserEvents.registry(), SqliteStorage.file(path)).build()) {
 *     store.append("user-1", new UserCreated(new UserCreated.Data(name, "jane@example.com"), meta));
 *     Optional<UserState> user = store.reduce(userReducer, "user-1");
 * }
 * }</pre>
 *
 * <p>Appends are atomic and validated: every event is checked against its type's rules before anything is written,
 * and an expected stream version makes concurrent writers safe ({@link ConcurrencyException}). After an append
 * commits, the events go to the after-insert hook (on the appending thread) and to the {@link #projector()} (on its
 * executor); neither can fail or undo the append.
 *
 * <p>Thread-safe: share one store across the application. {@link #close()} waits for queued projections, then closes
 * the adapter.
 *
 * @param <E> the event type, usually a sealed interface of records
 */
public final class EventStore<E> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);
    private static final int MAX_STREAM_LENGTH = 512;
    private static final UUID NIL = new UUID(0, 0);

    private final EventRegistry<E> registry;
    private final StorageAdapter adapter;
    private final SnapshotMode snapshotMode;
    private final @Nullable AfterInsertHook<E> afterInsert;
    private final ErrorHook<E> errorHook;
    private final Instrumentation instrumentation;
    private final HybridLogicalClock clock;
    private final InstantSource wallClock;
    private final Duration closeTimeout;
    private final @Nullable ExecutorService ownedExecutor;
    private final Projector<E> projector;
    private final Relations relations;
    private final Snapshots<E> snapshots;
    private final Imports<E> imports;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EventStore(Builder<E> builder) {
        this.registry = builder.registry;
        this.adapter = builder.adapter;
        this.snapshotMode = builder.snapshotMode;
        this.afterInsert = builder.afterInsert;
        this.errorHook = builder.errorHook;
        this.instrumentation = builder.instrumentation == Instrumentation.NONE ? Instrumentation.NONE
                : Objects.requireNonNull(builder.instrumentation.forStore(adapter.kind()), "instrumentation");
        if (instrumentation != Instrumentation.NONE) {
            adapter.observe(new AdapterObserver(instrumentation));
        }
        this.clock = builder.clock != null ? builder.clock : clockAfterLatestEvent(adapter);
        this.wallClock = builder.wallClock;
        this.closeTimeout = builder.closeTimeout;
        if (builder.projectionExecutor != null) {
            this.ownedExecutor = null;
            this.projector = Projector.create(builder.projectionExecutor, this::reportError, instrumentation);
        } else {
            this.ownedExecutor = Executors.newVirtualThreadPerTaskExecutor();
            this.projector = Projector.create(ownedExecutor, this::reportError, instrumentation);
        }
        this.relations = new Relations(adapter, this::checkOpen);
        this.snapshots = new Snapshots<>(this, adapter);
        this.imports = new Imports<>(this, adapter, clock, projector);
    }

    /**
     * Starts configuring a store.
     *
     * @param registry the event types the store accepts
     * @param adapter  the storage; the store closes it when it is closed
     */
    public static <E> Builder<E> builder(EventRegistry<E> registry, StorageAdapter adapter) {
        return new Builder<>(registry, adapter);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Making and appending events
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Makes an event for a stream without storing it: gives it a new time-ordered id and a {@code created}
     * timestamp from the store's clock.
     *
     * @throws UnknownEventTypeException if the event's class is not registered
     * @throws IllegalArgumentException  if the stream id is blank, too long or holds control characters
     */
    public PendingEvent<E> event(String stream, E event) {
        requireStream(stream);
        return make(stream, event);
    }

    /**
     * Makes an event for a stream already checked: a new id, its type string, a {@code created} from the clock, and
     * the origin in effect on this thread.
     */
    private PendingEvent<E> make(String stream, E event) {
        Objects.requireNonNull(event, "event");
        return new PendingEvent<>(EventIds.next(), stream, registry.typeOf(event.getClass()), event, clock.now(),
                CurrentOrigin.get());
    }

    /** Appends one event to a stream, at whatever version the stream is. */
    public AppendResult<E> append(String stream, E event) {
        return append(stream, ExpectedVersion.any(), List.of(Objects.requireNonNull(event, "event")));
    }

    /** Appends events to a stream atomically, at whatever version the stream is. */
    public AppendResult<E> append(String stream, List<? extends E> events) {
        return append(stream, ExpectedVersion.any(), events);
    }

    /**
     * Appends one event to a stream if the stream is at the expected version.
     *
     * @throws ConcurrencyException if it is not; nothing is written
     */
    public AppendResult<E> append(String stream, ExpectedVersion expected, E event) {
        return append(stream, expected, List.of(Objects.requireNonNull(event, "event")));
    }

    /**
     * Appends events to a stream atomically if the stream is at the expected version. An empty list appends nothing
     * and checks nothing.
     *
     * @throws ConcurrencyException      if it is not; nothing is written
     * @throws EventValidationException  if an event breaks its type's rules; nothing is written
     * @throws UnknownEventTypeException if an event's class is not registered; nothing is written
     */
    public AppendResult<E> append(String stream, ExpectedVersion expected, List<? extends E> events) {
        requireStream(stream);
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            return new AppendResult<>(List.of(), Set.of());
        }
        List<PendingEvent<E>> made = new ArrayList<>(events.size());
        for (E event : events) {
            made.add(make(stream, event));
        }
        return commit(made, Map.of(stream, expected), null, true);
    }

    /**
     * Appends events made with {@link #event(String, Object)}, possibly for several streams, atomically. An event
     * whose id is already stored with the same content is skipped and reported in
     * {@link AppendResult#duplicates()}.
     *
     * @throws DuplicateEventIdException if an id is stored with other content; nothing is written
     */
    public AppendResult<E> append(List<PendingEvent<E>> events) {
        return commit(events, Map.of(), null, false);
    }

    /** Starts an append of events for several streams, with expected versions and a projection batch key. */
    public AppendBatch<E> batch() {
        return new AppendBatch<>(this);
    }

    /**
     * Saves the pending events of several aggregates in one transaction, each expecting its stream at the version
     * it was read at.
     *
     * @throws ConcurrencyException     if any stream moved on; nothing is written
     * @throws IllegalArgumentException if two aggregates share a stream
     */
    public AppendResult<E> save(List<? extends AggregateRoot<E>> aggregates) {
        Objects.requireNonNull(aggregates, "aggregates");
        List<PendingEvent<E>> events = new ArrayList<>();
        Map<String, ExpectedVersion> expectations = new LinkedHashMap<>();
        for (AggregateRoot<E> aggregate : aggregates) {
            Objects.requireNonNull(aggregate, "aggregate");
            if (!aggregate.isDirty()) {
                continue;
            }
            if (expectations.put(aggregate.stream(), ExpectedVersion.exactly(aggregate.version())) != null) {
                throw new IllegalArgumentException("Two aggregates of stream '" + aggregate.stream()
                        + "' in one save; push all of a stream's events through one aggregate");
            }
            events.addAll(aggregate.pending());
        }
        if (events.isEmpty()) {
            return new AppendResult<>(List.of(), Set.of());
        }
        AppendResult<E> result = commit(events, expectations, null, true);
        for (AggregateRoot<E> aggregate : aggregates) {
            String stream = aggregate.stream();
            aggregate.saved(result.records().stream().filter(record -> record.stream().equals(stream)).toList());
        }
        return result;
    }

    /** Commits an {@link AppendBatch}, whose events may have been made anywhere. */
    AppendResult<E> commit(List<PendingEvent<E>> events, Map<String, ExpectedVersion> expectations,
            @Nullable String batchKey) {
        return commit(events, expectations, batchKey, false);
    }

    /**
     * Validates, encodes and appends the events in one transaction, then announces them.
     *
     * @param madeHere whether this store made every event (by {@link #event}, an append or an aggregate's
     *                 {@code push}), so their stream, id and type are known to be sound; events made elsewhere are
     *                 checked first
     */
    private AppendResult<E> commit(List<PendingEvent<E>> events, Map<String, ExpectedVersion> expectations,
            @Nullable String batchKey, boolean madeHere) {
        checkOpen();
        Objects.requireNonNull(events, "events");
        AppendOperation operation = instrumentation.appending(events);
        try {
            AppendResult<E> result = write(events, expectations, batchKey, madeHere, operation);
            operation.stored(result);
            return result;
        } catch (RuntimeException | Error e) {
            operation.failed(e);
            throw e;
        } finally {
            operation.end();
        }
    }

    private AppendResult<E> write(List<PendingEvent<E>> events, Map<String, ExpectedVersion> expectations,
            @Nullable String batchKey, boolean madeHere, AppendOperation operation) {
        // The trace context of the span this append runs in, if a tracer made one: it is the most precise place the
        // events came from, so it wins over the one they were made with.
        Map<String, String> traceHeaders = operation.traceHeaders();
        Map<UUID, PendingEvent<E>> byId = new LinkedHashMap<>();
        Set<UUID> repeated = new HashSet<>();
        List<NewEvent> rows = new ArrayList<>(events.size());
        EventOrigin current = CurrentOrigin.get();
        @Nullable String rootCorrelation = null;
        for (PendingEvent<E> event : events) {
            Objects.requireNonNull(event, "event");
            PendingEvent<E> earlier = byId.putIfAbsent(event.id(), event);
            if (earlier != null) {
                if (!sameEvent(earlier, event)) {
                    throw new DuplicateEventIdException(event.id(), event.stream(), event.type());
                }
                repeated.add(event.id());
                continue;
            }
            // An append outside any conversation starts one: its events share the id of the first of them that has
            // no correlation id as theirs.
            EventOrigin origin = event.origin().orElse(current).withTraceHeaders(traceHeaders);
            if (origin.correlationId() == null) {
                rootCorrelation = rootCorrelation != null ? rootCorrelation : event.id().toString();
                origin = origin.withCorrelationIfAbsent(rootCorrelation);
            }
            rows.add(encode(event, origin, madeHere));
        }
        for (String stream : expectations.keySet()) {
            if (byId.values().stream().noneMatch(event -> event.stream().equals(stream))) {
                throw new IllegalArgumentException("An expected version is set for stream '" + stream
                        + "' but no event in the append belongs to it");
            }
        }
        if (rows.isEmpty()) {
            return new AppendResult<>(List.of(), repeated);
        }
        AppendOutcome outcome = adapter.append(new AppendRequest(rows, expectations, recordedNow()));
        List<EventRecord<E>> records = new ArrayList<>(outcome.stored().size());
        for (StoredEvent stored : outcome.stored()) {
            PendingEvent<E> event = byId.get(stored.id());
            records.add(new EventRecord<>(stored.id(), stored.stream(), stored.type(), event.event(), event.created(),
                    stored.recorded(), stored.version(), stored.position(), stored.schemaVersion(), stored.origin()));
        }
        Set<UUID> duplicates = new LinkedHashSet<>(outcome.duplicates());
        duplicates.addAll(repeated);
        if (!records.isEmpty()) {
            announce(records, batchKey);
        }
        return new AppendResult<>(records, duplicates);
    }

    /** Whether two events with one id are the same event: the origin does not count, as in storage. */
    private static boolean sameEvent(PendingEvent<?> a, PendingEvent<?> b) {
        return a.stream().equals(b.stream()) && a.type().equals(b.type()) && a.event().equals(b.event())
                && a.created().equals(b.created());
    }

    /**
     * The {@code recorded} time of an append or import: whole microseconds, the finest precision every supported
     * database keeps, so that a record reads back equal to the one returned.
     */
    Instant recordedNow() {
        return wallClock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Validates and encodes an event; one made elsewhere ({@code madeHere} false) first has its stream, id and type
     * string checked.
     *
     * @throws EventValidationException if the event breaks its type's rules or could not be read back equal
     * @throws IllegalArgumentException if an event made elsewhere has a bad stream id, the nil id, or a type string
     *                                  its class is not registered under; or if {@code origin} holds a value an
     *                                  append refuses
     */
    NewEvent encode(PendingEvent<E> event, EventOrigin origin, boolean madeHere) {
        if (!madeHere) {
            requireStream(event.stream());
            if (event.id().equals(NIL)) {
                throw new IllegalArgumentException("Event of type '" + event.type() + "' for stream '"
                        + event.stream() + "' has the nil UUID as its id; give every event an id of its own, as "
                        + "EventStore.event and EventIds.next do");
            }
            Class<?> eventClass = event.event().getClass();
            String registered = registry.typeOf(eventClass);
            if (!registered.equals(event.type())) {
                throw new IllegalArgumentException("Event " + event.id() + " says type '" + event.type()
                        + "' but its class " + eventClass.getName() + " is registered as '" + registered + "'");
            }
        }
        List<Violation> violations = registry.validate(event.event());
        if (!violations.isEmpty()) {
            throw new EventValidationException(event.type(), violations);
        }
        origin.requireValid();
        EncodedEvent encoded = registry.encode(event.event());
        return new NewEvent(event.id(), event.stream(), event.type(), encoded.data(), encoded.meta(),
                event.created().toString(), encoded.version(), origin);
    }

    private void announce(List<EventRecord<E>> records, @Nullable String batchKey) {
        if (afterInsert != null) {
            try {
                afterInsert.afterInsert(records);
            } catch (Exception e) {
                reportError(e, null);
            }
        }
        if (batchKey != null) {
            projector.pushBatch(batchKey, records);
        } else {
            for (EventRecord<E> record : records) {
                projector.push(record, ProjectionStatus.LIVE);
            }
        }
    }

    /**
     * Imports events from another store, such as an edge SQLite syncing with a central PostgreSQL: their ids and
     * {@code created} are kept, events already here are skipped, and the rest are stored in the order given (pass
     * them in their source's log order, or {@code created} order) as one atomic append without version checks.
     *
     * <p>Each imported event is {@code outdated} when its stream here, counting the events imported before it in
     * the same call, already holds a newer event of its type. Imported events reach the projector as hydrated
     * ({@link ProjectionStatus#HYDRATED} or {@link ProjectionStatus#OUTDATED}), so {@code once} handlers skip them,
     * and durable subscriptions deliver them the same way. The store's clock moves past their {@code created}, so
     * events made here afterwards sort after them. A snapshot whose cursor lies after an imported event's
     * {@code created} is deleted, since it would never fold the event in. Importing the same events again changes
     * nothing.
     *
     * @throws DuplicateEventIdException     if an id is stored here with other content; nothing is written
     * @throws EventValidationException      if an event breaks its type's rules; nothing is written
     * @throws IllegalArgumentException      if an event has the nil id, or was created further ahead of this store's
     *                                       clock than its maximum offset (an hour when unset); nothing is written
     * @throws UnsupportedOperationException if the adapter keeps no imports ({@link ImportStorage})
     */
    public ImportResult<E> importEvents(List<EventRecord<E>> events) {
        return imports.importEvents(events);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading
    // ---------------------------------------------------------------------------------------------------------------

    /** Every event of a stream, oldest first. */
    public List<EventRecord<E>> read(String stream) {
        return read(stream, ReadOptions.defaults());
    }

    /** Events of a stream, as {@code options} say. */
    public List<EventRecord<E>> read(String stream, ReadOptions options) {
        requireStream(stream);
        return readStreams(List.of(stream), options);
    }

    /** Events of several streams, merged in {@code created} order, as {@code options} say. */
    public List<EventRecord<E>> readStreams(Collection<String> streams, ReadOptions options) {
        Objects.requireNonNull(streams, "streams");
        streams.forEach(EventStore::requireStream);
        return observed(Read.STREAMS, () -> query(Set.copyOf(streams), null, options));
    }

    /** Events of every stream related to any of the keys, as {@code options} say. */
    public List<EventRecord<E>> readRelations(Collection<String> keys, ReadOptions options) {
        return observed(Read.RELATIONS, () -> query(relations.streams(keys), null, options));
    }

    /** Events of the whole log, as {@code options} say. */
    public List<EventRecord<E>> readAll(ReadOptions options) {
        return observed(Read.ALL, () -> query(null, null, options));
    }

    /**
     * Every event of a conversation, oldest first: those appended with this correlation id, and the event whose id
     * it is, which started the conversation. Indexed: the cost follows the number of events found, not the log's
     * size.
     *
     * @throws IllegalArgumentException if the id is one no append accepts (blank, too long, control characters, lone
     *                                  surrogates), which could otherwise match another conversation's stored text
     */
    public List<EventRecord<E>> readCorrelation(String correlationId) {
        return readCorrelation(correlationId, ReadOptions.defaults());
    }

    /** Events of a conversation, as {@code options} say; see {@link #readCorrelation(String)}. */
    public List<EventRecord<E>> readCorrelation(String correlationId, ReadOptions options) {
        WellFormedText.requireIdentifier("Correlation id", Objects.requireNonNull(correlationId, "correlationId"),
                EventOrigin.MAX_ID_LENGTH);
        return observed(Read.CORRELATION, () -> query(null, correlationId, options));
    }

    /**
     * Up to {@code limit} rows of the log in this store's commit order, after a position: the way to follow the log.
     * Position 0 starts at the beginning; continue from {@link LogPage#lastPosition()}.
     *
     * <p>Unlike the other reads, this one does not fail on a row it cannot decode: the page carries it as an
     * {@link UndecodableEvent} with the reason, so one bad row cannot stop a reader of the log for good.
     */
    public LogPage<E> readLog(long afterPosition, int limit) {
        checkReadLog(afterPosition, limit);
        return observed(Read.LOG, () -> {
            List<StoredEvent> rows = adapter.readLog(afterPosition, limit);
            return decodePage(rows, rows.isEmpty() ? afterPosition : rows.getLast().position());
        });
    }

    /**
     * Up to {@code limit} events of one part of the log in commit order, after a position: the way several readers
     * share the log, each following its own part. The database hands over only the part's events (but for events
     * stored before Runestone kept the part of each row, which this store drops itself), so a part costs a reader
     * what its events cost, not what the whole log does. {@link LogPage#lastPosition()} is how far the read looked,
     * past events of other parts: continue from it. Rows of the part that cannot be decoded are handed over as in
     * {@link #readLog(long, int)}.
     */
    public LogPage<E> readLog(long afterPosition, int limit, LogPartition partition) {
        Objects.requireNonNull(partition, "partition");
        if (partition.count() == 1) {
            return readLog(afterPosition, limit);
        }
        checkReadLog(afterPosition, limit);
        return observed(Read.LOG, () -> {
            LogSlice slice = adapter.readLog(afterPosition, limit, partition);
            List<StoredEvent> rows = new ArrayList<>(slice.events().size());
            for (StoredEvent row : slice.events()) {
                if (partition.holds(row.stream())) {
                    rows.add(row);
                }
            }
            return decodePage(rows, slice.lastPosition());
        });
    }

    private void checkReadLog(long afterPosition, int limit) {
        checkOpen();
        if (afterPosition < 0) {
            throw new IllegalArgumentException("afterPosition must not be negative, was " + afterPosition);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /** Runs a read, telling the instrumentation about it. */
    private <T> T observed(Read read, Supplier<T> work) {
        Operation operation = instrumentation.reading(read);
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            operation.failed(e);
            throw e;
        } finally {
            operation.end();
        }
    }

    private LogPage<E> decodePage(List<StoredEvent> rows, long lastPosition) {
        List<EventRecord<E>> events = new ArrayList<>(rows.size());
        List<UndecodableEvent> undecodable = new ArrayList<>();
        for (StoredEvent row : rows) {
            try {
                events.add(decode(row));
            } catch (EventDecodingException e) {
                undecodable.add(new UndecodableEvent(row.id(), row.stream(), row.type(), row.version(),
                        row.position(), row.created(), row.recorded(), row.data(), row.meta(), e));
            }
        }
        return new LogPage<>(events, undecodable, lastPosition);
    }

    /** The event stored under an id. */
    public Optional<EventRecord<E>> find(UUID id) {
        checkOpen();
        Objects.requireNonNull(id, "id");
        return observed(Read.FIND, () -> adapter.findById(id).map(this::decode));
    }

    /** The version of a stream's last event; 0 if the stream has none. */
    public long version(String stream) {
        checkOpen();
        requireStream(stream);
        return adapter.streamVersion(stream);
    }

    /**
     * How an event from another store relates to this one: whether its id is here already, and whether it is
     * outdated. An event already here is {@code (exists=true, outdated=true)} whatever its age, since it took effect
     * here when it was stored and importing it again changes nothing; any other event is outdated when its stream
     * here holds a newer event of the same type (by {@code created}).
     */
    public EventStatus status(EventRecord<E> event) {
        return imports.status(event);
    }

    List<EventRecord<E>> read(Target target, ReadOptions options) {
        return switch (target) {
            case Target.OfStream stream -> read(stream.key(), options);
            case Target.OfRelation relation -> readRelations(List.of(relation.key()), options);
        };
    }

    private List<EventRecord<E>> query(@Nullable Set<String> streams, @Nullable String correlationId,
            ReadOptions options) {
        checkOpen();
        Objects.requireNonNull(options, "options");
        if (streams != null && streams.isEmpty()) {
            return List.of();
        }
        String cursor = options.cursor() == null ? null : options.cursor().toString();
        return decodeAll(adapter.read(new EventQuery(streams, typeNames(options.types()), cursor, options.direction(),
                options.limit(), correlationId)));
    }

    private Set<String> typeNames(Collection<Class<?>> classes) {
        Set<String> types = new HashSet<>();
        for (Class<?> type : classes) {
            types.add(registry.typeOf(type));
        }
        return types;
    }

    private List<EventRecord<E>> decodeAll(List<StoredEvent> rows) {
        List<EventRecord<E>> records = new ArrayList<>(rows.size());
        for (StoredEvent row : rows) {
            records.add(decode(row));
        }
        return records;
    }

    /**
     * The event a row holds.
     *
     * @throws UnknownEventVersionException naming the row, if it is of a version newer than the registry knows
     * @throws EventDecodingException       naming the row, if its type is not registered, its JSON does not fit its
     *                                      record, or its {@code created} is not a timestamp
     */
    private EventRecord<E> decode(StoredEvent row) {
        E event;
        try {
            event = registry.decode(row.type(), new EncodedEvent(row.type(), row.schemaVersion(), row.data(),
                    row.meta()));
        } catch (UnknownEventVersionException e) {
            throw new UnknownEventVersionException("Cannot read event " + row.id() + " (type '"
                    + WellFormedText.printable(row.type()) + "', stream '" + WellFormedText.printable(row.stream())
                    + "', stream version " + row.version() + ", position " + row.position() + "): "
                    + e.getMessage(), e.type(), e.version(), e.knownVersion());
        } catch (EventDecodingException e) {
            throw undecodable(row, e.getMessage(), e.violations(), e);
        } catch (UnknownEventTypeException e) {
            throw undecodable(row, e.getMessage(), List.of(new Violation("type", "registered", "'"
                    + WellFormedText.printable(row.type()) + "' is not a type this store's registry knows")), e);
        }
        HlcTimestamp created;
        try {
            created = HlcTimestamp.parse(row.created());
        } catch (IllegalArgumentException e) {
            throw undecodable(row, e.getMessage(), List.of(new Violation("created", "format", e.getMessage())), e);
        }
        return new EventRecord<>(row.id(), row.stream(), row.type(), event, created, row.recorded(), row.version(),
                row.position(), row.schemaVersion(), row.origin());
    }

    private static EventDecodingException undecodable(StoredEvent row, String reason, List<Violation> violations,
            Exception cause) {
        return new EventDecodingException("Cannot read event " + row.id() + " (type '"
                + WellFormedText.printable(row.type()) + "', stream '" + WellFormedText.printable(row.stream())
                + "', stream version " + row.version() + ", position " + row.position() + "): " + reason, violations,
                cause);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reducing and aggregates
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Folds a stream's events into state, in {@code created} order, starting from the reducer's snapshot if there is
     * one. An aggregate reducer returns an aggregate bound to the stream, ready to push and save.
     *
     * @return the state, or empty if the stream has no events and there is no snapshot
     */
    public <S> Optional<S> reduce(Reducer<S, E> reducer, String stream) {
        return reduce(reducer, Target.stream(stream));
    }

    /** Folds a stream's or relation's events into state; see {@link #reduce(Reducer, String)}. */
    public <S> Optional<S> reduce(Reducer<S, E> reducer, Target target) {
        checkOpen();
        Objects.requireNonNull(reducer, "reducer");
        Objects.requireNonNull(target, "target");
        ReduceOperation operation = instrumentation.reducing(reducer.name(), target);
        try {
            return reduce(reducer, target, operation);
        } catch (RuntimeException | Error e) {
            operation.failed(e);
            throw e;
        } finally {
            operation.end();
        }
    }

    private <S> Optional<S> reduce(Reducer<S, E> reducer, Target target, ReduceOperation operation) {
        Optional<Snapshot<S>> snapshot;
        List<EventRecord<E>> events;
        if (target instanceof Target.OfStream(String stream)) {
            // One read for both where the adapter can: a reduce is the hot path of every command.
            EventQuery query = new EventQuery(Set.of(stream), typeNames(reducer.types()), null, Direction.ASCENDING,
                    Integer.MAX_VALUE);
            SnapshotAndEvents rows = adapter.readFromSnapshot(Snapshots.requireReducerName(reducer.name()), stream,
                    query);
            snapshot = rows.snapshot() == null ? Optional.empty() : usable(reducer, rows.snapshot());
            events = decodeAll(rows.snapshot() != null && snapshot.isEmpty() ? adapter.read(query) : rows.events());
        } else {
            snapshot = usableSnapshot(reducer, target);
            ReadOptions options = ReadOptions.defaults().types(reducer.types().toArray(Class<?>[]::new));
            if (snapshot.isPresent()) {
                options = options.after(snapshot.get().cursor());
            }
            events = read(target, options);
        }
        operation.snapshot(snapshot.isPresent());
        if (events.isEmpty() && snapshot.isEmpty()) {
            return Optional.empty();
        }
        S state = snapshot.map(Snapshot::state).orElseGet(reducer::initialState);
        HlcTimestamp cursor = snapshot.map(Snapshot::cursor).orElse(null);
        long version = snapshot.map(Snapshot::version).orElse(0L);
        if (state instanceof AggregateRoot<?> aggregate && cursor != null) {
            aggregate.restore(version, cursor);
        }
        for (EventRecord<E> record : events) {
            state = Objects.requireNonNull(reducer.fold(state, record),
                    () -> "Reducer '" + reducer.name() + "' returned null for event " + record.id());
            version = target instanceof Target.OfStream ? Math.max(version, record.version()) : 0;
            cursor = cursor == null || record.created().isAfter(cursor) ? record.created() : cursor;
        }
        if (snapshotMode == SnapshotMode.AUTOMATIC && !events.isEmpty()) {
            snapshots.save(reducer, target.key(), Objects.requireNonNull(cursor), version, state);
        }
        bindAggregate(reducer, target, state);
        return Optional.of(state);
    }

    /**
     * A snapshot is a cache: one of another state shape (fingerprint) is skipped, one that cannot be read with a
     * warning; neither is fatal, and the state is folded from the first event.
     */
    private <S> Optional<Snapshot<S>> usableSnapshot(Reducer<S, E> reducer, Target target) {
        return adapter.findSnapshot(Snapshots.requireReducerName(reducer.name()), target.key())
                .flatMap(row -> usable(reducer, row));
    }

    private <S> Optional<Snapshot<S>> usable(Reducer<S, E> reducer, SnapshotRow row) {
        try {
            return snapshots.fromRow(reducer, row);
        } catch (EventDecodingException e) {
            LOG.warn("Ignoring a snapshot and folding from the first event: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Makes a new, empty aggregate for a stream. Saving it expects the stream not to exist yet, so creating an
     * entity twice fails with {@link ConcurrencyException}.
     */
    public <A extends AggregateRoot<E>> A create(AggregateReducer<A, E> reducer, String stream) {
        checkOpen();
        Objects.requireNonNull(reducer, "reducer");
        requireStream(stream);
        A aggregate = reducer.initialState();
        aggregate.bind(this, reducer, stream);
        return aggregate;
    }

    private void bindAggregate(Reducer<?, E> reducer, Target target, Object state) {
        if (reducer instanceof AggregateReducer<?, E> aggregates && state instanceof AggregateRoot<?> root) {
            @SuppressWarnings("unchecked")
            AggregateRoot<E> aggregate = (AggregateRoot<E>) root;
            aggregate.bind(this, aggregates, target instanceof Target.OfStream ? target.key() : null);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Parts
    // ---------------------------------------------------------------------------------------------------------------

    /** Relation keys and the streams they group. */
    public Relations relations() {
        return relations;
    }

    /** Reducer snapshots: create, read, delete. */
    public Snapshots<E> snapshots() {
        return snapshots;
    }

    /** The projector fed by this store's appends. */
    public Projector<E> projector() {
        return projector;
    }

    /**
     * Starts configuring a durable subscription named {@code name}: a reader of the log that keeps its checkpoint
     * in the store and shares its work with other instances running the same name.
     *
     * @throws UnsupportedOperationException if the adapter keeps no subscriptions
     */
    public SubscriptionBuilder<E> subscribe(String name) {
        checkOpen();
        return SubscriptionAccess.factory().builder(this, adapter, subscriptionStorage(), instrumentation, name);
    }

    /**
     * The stored state of durable subscriptions: checkpoints, replays, parked events.
     *
     * @throws UnsupportedOperationException if the adapter keeps no subscriptions
     */
    public Subscriptions subscriptions() {
        checkOpen();
        return SubscriptionAccess.factory().subscriptions(adapter, subscriptionStorage());
    }

    private SubscriptionStorage subscriptionStorage() {
        if (adapter instanceof SubscriptionStorage storage) {
            return storage;
        }
        throw new UnsupportedOperationException("Storage " + adapter + " keeps no durable subscriptions; use an "
                + "adapter that implements SubscriptionStorage, such as SqliteStorage or PostgresStorage.");
    }

    /** The event types this store accepts. */
    public EventRegistry<E> registry() {
        return registry;
    }

    /** The clock stamping {@code created}. */
    public HybridLogicalClock clock() {
        return clock;
    }

    /**
     * Waits for queued projections (up to the close timeout), stops the projector's own executor, and closes the
     * adapter. Calling it twice is harmless.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!projector.awaitIdle(closeTimeout)) {
                LOG.warn("Projections still running after {}; closing the store anyway", closeTimeout);
            }
            if (ownedExecutor != null) {
                ownedExecutor.shutdown();
                ownedExecutor.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            adapter.close();
        }
    }

    /**
     * A clock that starts after the newest stored {@code created}, so events made after a restart on a machine whose
     * wall clock is behind still sort after the events already stored.
     */
    private static HybridLogicalClock clockAfterLatestEvent(StorageAdapter adapter) {
        HybridLogicalClock.Builder clock = HybridLogicalClock.builder();
        adapter.read(new EventQuery(null, Set.of(), null, Direction.DESCENDING, 1)).stream().findFirst()
                .ifPresent(latest -> clock.last(HlcTimestamp.parse(latest.created())));
        return clock.build();
    }

    void checkOpen() {
        if (closed.get()) {
            throw new StoreClosedException("The event store is closed");
        }
    }

    private void reportError(Throwable error, @Nullable EventRecord<E> record) {
        try {
            errorHook.onError(error, record);
        } catch (RuntimeException hookFailure) {
            hookFailure.addSuppressed(error);
            LOG.error("The error hook failed", hookFailure);
        }
    }

    static void requireStream(String stream) {
        Objects.requireNonNull(stream, "stream");
        WellFormedText.requireIdentifier("Stream id", stream, MAX_STREAM_LENGTH);
    }

    private static void logError(Throwable error, @Nullable EventRecord<?> record) {
        if (record == null) {
            LOG.error("An after-insert hook or batch projection failed", error);
        } else {
            LOG.error("Projection of event {} (type '{}', stream '{}') failed", record.id(), record.type(),
                    record.stream(), error);
        }
    }

    /**
     * Configures an {@link EventStore}. Not thread-safe.
     *
     * @param <E> the event type
     */
    public static final class Builder<E> {

        private final EventRegistry<E> registry;
        private final StorageAdapter adapter;
        private SnapshotMode snapshotMode = SnapshotMode.MANUAL;
        private @Nullable AfterInsertHook<E> afterInsert;
        private ErrorHook<E> errorHook = EventStore::logError;
        private Instrumentation instrumentation = Instrumentation.NONE;
        private @Nullable HybridLogicalClock clock;
        private InstantSource wallClock = InstantSource.system();
        private @Nullable Executor projectionExecutor;
        private Duration closeTimeout = Duration.ofSeconds(30);

        private Builder(EventRegistry<E> registry, StorageAdapter adapter) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.adapter = Objects.requireNonNull(adapter, "adapter");
        }

        /** When to save snapshots: {@link SnapshotMode#MANUAL} (the default) or after every reduce. */
        public Builder<E> snapshots(SnapshotMode mode) {
            this.snapshotMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Runs after every committed append, on the appending thread. */
        public Builder<E> afterInsert(AfterInsertHook<E> hook) {
            this.afterInsert = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /** Receives projection and after-insert failures. Defaults to logging them through SLF4J. */
        public Builder<E> onError(ErrorHook<E> hook) {
            this.errorHook = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * Tells {@code instrumentation} about the store's appends, reads, reduces, projector handlers and durable
         * subscriptions, for metrics and tracing; {@code event-store-micrometer} has one on Micrometer. Defaults to
         * {@link Instrumentation#NONE}, which does nothing.
         */
        public Builder<E> instrumentation(Instrumentation instrumentation) {
            this.instrumentation = Objects.requireNonNull(instrumentation, "instrumentation");
            return this;
        }

        /**
         * The clock stamping {@code created}. Defaults to a hybrid logical clock on system time that starts after the
         * newest {@code created} already stored.
         */
        public Builder<E> clock(HybridLogicalClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The wall clock stamping {@code recorded}. Defaults to the system clock. */
        public Builder<E> wallClock(InstantSource wallClock) {
            this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
            return this;
        }

        /**
         * Where projection handlers run. Defaults to a virtual thread per task, owned and shut down by the store; an
         * executor given here stays the caller's to shut down.
         */
        public Builder<E> projectionExecutor(Executor executor) {
            this.projectionExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** How long {@link EventStore#close()} waits for queued projections. Defaults to 30 seconds. */
        public Builder<E> closeTimeout(Duration closeTimeout) {
            this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
            return this;
        }

        /** Builds the store. */
        public EventStore<E> build() {
            return new EventStore<>(this);
        }
    }
}
