package dev.runestone.benchmarks;

import dev.runestone.EventStore;
import dev.runestone.LogPage;
import dev.runestone.registry.EventRegistry;
import dev.runestone.spi.StorageAdapter;
import java.util.List;
import java.util.function.Supplier;

/**
 * What reading older versions of events costs. One log holds three stretches of the same events, one after the
 * other: written before types had versions ({@code user:created} and {@code user:email-set} at version 1, read with
 * {@link UserEvent#REGISTRY}); written at version 2 of both types ({@link #VERSIONED}); and half and half, streams
 * written at version 1 and at version 2 in turn. Each side of a figure scans one stretch, round and round, in pages.
 */
final class UpcastScan {

    /** {@code user:created} as version 1 stored it: the same shape, so the upcaster costs only itself. */
    record UserCreatedV1(UserEvent.UserCreated.Data data, UserEvent.Meta meta) {
    }

    /** {@code user:email-set} as version 1 stored it. */
    record UserEmailSetV1(String data, UserEvent.Meta meta) {
    }

    /** Both types at version 2, each with a trivial typed upcaster from version 1. */
    static final EventRegistry<UserEvent> VERSIONED = EventRegistry.builder(UserEvent.class)
            .register("user:created", 2, UserEvent.UserCreated.class)
            .upcaster("user:created", 1, UserCreatedV1.class,
                    (UserCreatedV1 old) -> new UserEvent.UserCreated(old.data(), old.meta()))
            .register("user:email-set", 2, UserEvent.UserEmailSet.class)
            .upcaster("user:email-set", 1, UserEmailSetV1.class,
                    (UserEmailSetV1 old) -> new UserEvent.UserEmailSet(old.data(), old.meta()))
            .build();

    private static final int STREAM = 10;
    private static final int SETTLE_EVERY = 1_000;

    private final EventStore<UserEvent> today;
    private final EventStore<UserEvent> versioned;
    final Stretch unversioned;
    final Stretch current;
    final Stretch halfVersionOne;

    /**
     * Writes the three stretches, of {@code events} events each (rounded down to whole streams), into an empty
     * database.
     *
     * @param adapters a new adapter over the same database at each call
     * @param settle   brings the database's statistics up to date, called every {@value #SETTLE_EVERY} streams
     */
    UpcastScan(Supplier<StorageAdapter> adapters, long events, Runnable settle) {
        today = EventStore.builder(UserEvent.REGISTRY, adapters.get()).build();
        versioned = EventStore.builder(VERSIONED, adapters.get()).build();
        long streams = events / STREAM;
        long after = 0;
        after = write("unversioned", streams, after, stream -> today, settle);
        unversioned = new Stretch("unversioned", today, 0, streams * STREAM);
        long currentBefore = after;
        after = write("current", streams, after, stream -> versioned, settle);
        current = new Stretch("current", versioned, currentBefore, streams * STREAM);
        long halfBefore = after;
        write("half-v1", streams, after, stream -> stream % 2 == 0 ? today : versioned, settle);
        halfVersionOne = new Stretch("half-v1", versioned, halfBefore, streams * STREAM);
        checkVersions();
    }

    /** One stretch of the log and the store that scans it; each call reads the next page. */
    static final class Stretch implements Workload {

        private final String name;
        private final EventStore<UserEvent> reader;
        private final long before;
        private final long events;
        private long cursor;
        private long read;

        /** The {@code events} events after position {@code before}, read by {@code reader}. */
        private Stretch(String name, EventStore<UserEvent> reader, long before, long events) {
            this.name = name;
            this.reader = reader;
            this.before = before;
            this.events = events;
            this.cursor = before;
        }

        @Override
        public String name() {
            return name;
        }

        /** Reads the next page of up to {@code limit} events, from the start again after the stretch's end. */
        synchronized long scan(int limit) {
            LogPage<UserEvent> page = reader.readLog(cursor, (int) Math.min(limit, events - read));
            if (!page.undecodable().isEmpty()) {
                throw new IllegalStateException(name + " could not decode " + page.undecodable().getFirst());
            }
            read += page.events().size();
            cursor = page.lastPosition();
            if (read == events) {
                read = 0;
                cursor = before;
            }
            return page.events().size();
        }

        @Override
        public void appendOne(String stream, long n) {
            throw new UnsupportedOperationException(name + " only scans");
        }

        @Override
        public void appendBatch(String stream, long n, int count) {
            throw new UnsupportedOperationException(name + " only scans");
        }

        @Override
        public void close() {
        }
    }

    private interface Writer {
        EventStore<UserEvent> of(long stream);
    }

    /**
     * Appends {@code streams} streams of ten events after position {@code after}, each by the store {@code writer}
     * picks for it, and returns the last position.
     */
    private static long write(String name, long streams, long after, Writer writer, Runnable settle) {
        long last = after;
        for (long stream = 0; stream < streams; stream++) {
            if (stream % SETTLE_EVERY == 0) {
                settle.run();
            }
            List<UserEvent> history = RunestoneWorkload.events(Pair.next(), STREAM);
            last = writer.of(stream).append(name + "-" + stream, history).records().getLast().position();
        }
        return last;
    }

    /** The half-and-half stretch holds version 2 rows where it should: a store without versions cannot read them. */
    private void checkVersions() {
        LogPage<UserEvent> page = today.readLog(halfVersionOne.before, 2 * STREAM);
        if (page.events().size() != STREAM || page.undecodable().size() != STREAM) {
            throw new IllegalStateException("Expected " + STREAM + " events at version 1 and " + STREAM
                    + " at version 2, read " + page.events().size() + " and " + page.undecodable().size());
        }
    }

    void close() {
        today.close();
        versioned.close();
    }
}
