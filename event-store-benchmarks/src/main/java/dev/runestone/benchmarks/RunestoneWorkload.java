package dev.runestone.benchmarks;

import dev.runestone.ConcurrencyException;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.ExpectedVersion;
import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.spi.StorageAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * The Runestone side: an {@link EventStore} over either adapter, with the default settings, or with an
 * instrumentation.
 */
final class RunestoneWorkload implements Workload {

    private final EventStore<UserEvent> store;
    private final String name;

    RunestoneWorkload(StorageAdapter adapter) {
        this(adapter, "runestone", Instrumentation.NONE);
    }

    RunestoneWorkload(StorageAdapter adapter, String name, Instrumentation instrumentation) {
        this.store = EventStore.builder(UserEvent.REGISTRY, adapter).instrumentation(instrumentation).build();
        this.name = name;
    }

    EventStore<UserEvent> store() {
        return store;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void appendOne(String stream, long n) {
        store.append(stream, ExpectedVersion.noStream(), UserEvent.created(n));
    }

    @Override
    public long appendExpecting(String stream, long expectedVersion, long n) {
        try {
            return store.append(stream, ExpectedVersion.exactly(expectedVersion), UserEvent.created(n))
                    .records().getLast().version();
        } catch (ConcurrencyException lost) {
            return -lost.actual();
        }
    }

    /** The version of {@code stream}'s last event, 0 if it has none. */
    long version(String stream) {
        return store.version(stream);
    }

    @Override
    public void appendBatch(String stream, long n, int count) {
        store.append(stream, ExpectedVersion.noStream(), events(n, count));
    }

    /** A user's history: created, then {@code count - 1} email changes. */
    static List<UserEvent> events(long n, int count) {
        List<UserEvent> events = new ArrayList<>(count);
        events.add(UserEvent.created(n));
        for (int k = 1; k < count; k++) {
            events.add(UserEvent.emailSet(n, k));
        }
        return events;
    }

    @Override
    public UserState reduce(String stream) {
        return store.reduce(UserState.REDUCER, stream).orElseThrow();
    }

    @Override
    public UserState reduceFromSnapshot(String stream) {
        return store.reduce(UserState.REDUCER, stream).orElseThrow();
    }

    @Override
    public long readLog(long afterPosition, int limit) {
        return store.readLog(afterPosition, limit).lastPosition();
    }

    @Override
    public void close() {
        store.close();
    }
}
