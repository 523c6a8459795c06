package dev.runestone.subscription;

import dev.runestone.EventRecord;
import dev.runestone.internal.WellFormedText;
import dev.runestone.projector.Effects;
import dev.runestone.projector.OnceHandler;
import dev.runestone.projector.ProjectionHandler;
import dev.runestone.projector.ProjectionStatus;
import dev.runestone.spi.SubscriptionStorage;
import dev.runestone.spi.TransactionWork;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Projector handlers for a durable subscription, with the projector's rules: {@code once} takes only new,
 * up-to-date events; {@code on} also takes hydrated (replayed) ones but never outdated ones; {@code all} takes every
 * event. Run it with {@link SubscriptionBuilder#projection(Projection)}.
 *
 * <pre>{@code
 * Projection<UserEvent> projection = Projection.<UserEvent>builder()
 *         .once("welcome-email", UserCreated.class, mailer::sendWelcome, effects)
 *         .on(UserCreated.class, record -> users.put(record.stream(), record.event()))
 *         .build();
 * store.subscribe("users").projection(projection).start();
 * }</pre>
 *
 * <p><b>The once ledger.</b> Each {@code once} handler has a key, unique in the store. When it succeeds for an event,
 * the store records (key, event id), and the handler never runs for that event again: not after a crash, not after a
 * replay, not on another instance. A {@code once} handler given a {@link ConnectionHandler} records the ledger entry
 * in the same transaction as its own writes, so even a crash cannot repeat it; a plain one records it right after it
 * returns, so a crash in that instant runs it once more.
 *
 * <p>For each event, plain handlers run first, in the order added, then the connection handlers in one transaction
 * with the checkpoint. If any throws, the subscription retries the event: handlers that already succeeded run again,
 * except {@code once} handlers. Immutable and thread-safe.
 *
 * @param <E> the event type
 */
public final class Projection<E> {

    private enum Kind {
        ONCE(false, false),
        ON(true, false),
        ALL(true, true);

        private final boolean hydrated;
        private final boolean outdated;

        Kind(boolean hydrated, boolean outdated) {
            this.hydrated = hydrated;
            this.outdated = outdated;
        }

        boolean accepts(ProjectionStatus status) {
            return (hydrated || !status.hydrated()) && (outdated || !status.outdated());
        }
    }

    @FunctionalInterface
    private interface Plain {
        void handle(EventRecord<?> record) throws Exception;
    }

    @FunctionalInterface
    private interface InTransaction {
        void handle(EventRecord<?> record, Connection connection) throws Exception;
    }

    private record Entry(Class<?> type, Kind kind, String onceKey, @Nullable Plain plain,
            @Nullable InTransaction inTransaction) {

        boolean matches(EventRecord<?> record, ProjectionStatus status) {
            return type.isInstance(record.event()) && kind.accepts(status);
        }
    }

    private final List<Entry> plain;
    private final List<Entry> inTransaction;

    private Projection(List<Entry> plain, List<Entry> inTransaction) {
        this.plain = List.copyOf(plain);
        this.inTransaction = List.copyOf(inTransaction);
    }

    /** Starts an empty projection. */
    public static <E> Builder<E> builder() {
        return new Builder<>();
    }

    Sink<E> sink() {
        return new Sink<>() {
            @Override
            public void deliver(EventRecord<E> record, ProjectionStatus status, SubscriptionStorage storage)
                    throws Exception {
                List<Entry> matching = matching(plain, record, status);
                Set<String> done = onceDone(matching, record, storage);
                for (Entry entry : matching) {
                    if (entry.kind() == Kind.ONCE) {
                        if (done.contains(entry.onceKey())) {
                            continue;
                        }
                        Objects.requireNonNull(entry.plain()).handle(record);
                        storage.markOnceDone(entry.onceKey(), record.id());
                    } else {
                        Objects.requireNonNull(entry.plain()).handle(record);
                    }
                }
            }

            @Override
            public @Nullable TransactionWork transactionalWork(EventRecord<E> record, ProjectionStatus status,
                    SubscriptionStorage storage) {
                List<Entry> matching = matching(inTransaction, record, status);
                if (matching.isEmpty()) {
                    return null;
                }
                Set<String> done = onceDone(matching, record, storage);
                return connection -> {
                    List<String> marks = new ArrayList<>();
                    for (Entry entry : matching) {
                        if (entry.kind() == Kind.ONCE) {
                            if (done.contains(entry.onceKey())) {
                                continue;
                            }
                            marks.add(entry.onceKey());
                        }
                        Objects.requireNonNull(entry.inTransaction()).handle(record, connection);
                    }
                    return marks;
                };
            }
        };
    }

    private static List<Entry> matching(List<Entry> entries, EventRecord<?> record, ProjectionStatus status) {
        List<Entry> matching = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.matches(record, status)) {
                matching.add(entry);
            }
        }
        return matching;
    }

    private static Set<String> onceDone(List<Entry> matching, EventRecord<?> record, SubscriptionStorage storage) {
        List<String> keys = new ArrayList<>();
        for (Entry entry : matching) {
            if (entry.kind() == Kind.ONCE) {
                keys.add(entry.onceKey());
            }
        }
        return keys.isEmpty() ? Set.of() : storage.onceDone(keys, record.id());
    }

    /**
     * Collects the handlers of a {@link Projection}. Not thread-safe.
     *
     * @param <E> the event type
     */
    public static final class Builder<E> {

        private final List<Entry> plain = new ArrayList<>();
        private final List<Entry> inTransaction = new ArrayList<>();
        /** Once keys are stored in the ledger beside subscription names: the same bound. */
        private static final int MAX_KEY_LENGTH = 200;

        private final Set<String> onceKeys = new HashSet<>();

        private Builder() {
        }

        /**
         * Runs {@code handler} for new, up-to-date events of {@code type}, never for hydrated or outdated ones, and
         * at most once per event once it succeeded (see the ledger above). {@code effects} hears every attempt's
         * outcome; a failure is also retried.
         *
         * @param key names the handler in the ledger; unique in the store, and kept when the code changes
         */
        @SuppressWarnings("unchecked")
        public <T extends E, R> Builder<E> once(String key, Class<T> type, OnceHandler<T, R> handler,
                Effects<T, R> effects) {
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(effects, "effects");
            plain.add(new Entry(requireType(type), Kind.ONCE, requireKey(key), record -> {
                EventRecord<T> typed = (EventRecord<T>) record;
                R result;
                try {
                    result = handler.handle(typed);
                } catch (Exception e) {
                    effects.onError(typed, e);
                    throw e;
                }
                effects.onSuccess(typed, result);
            }, null));
            return this;
        }

        /**
         * Runs {@code handler} once for each new, up-to-date event of {@code type}, on the store's connection, in
         * the transaction that records it in the ledger and moves the checkpoint: exactly once, even across crashes.
         *
         * @param key names the handler in the ledger; unique in the store, and kept when the code changes
         */
        public <T extends E> Builder<E> once(String key, Class<T> type, ConnectionHandler<T> handler) {
            inTransaction.add(new Entry(requireType(type), Kind.ONCE, requireKey(key), null,
                    connectionHandler(handler)));
            return this;
        }

        /** Runs {@code handler} for new and hydrated events of {@code type}, never outdated ones. */
        public <T extends E> Builder<E> on(Class<T> type, ProjectionHandler<T> handler) {
            plain.add(new Entry(requireType(type), Kind.ON, "", plainHandler(handler), null));
            return this;
        }

        /** Like {@link #on(Class, ProjectionHandler)}, on the store's connection in the checkpoint's transaction. */
        public <T extends E> Builder<E> on(Class<T> type, ConnectionHandler<T> handler) {
            inTransaction.add(new Entry(requireType(type), Kind.ON, "", null, connectionHandler(handler)));
            return this;
        }

        /** Runs {@code handler} for every event of {@code type}: new, hydrated and outdated. */
        public <T extends E> Builder<E> all(Class<T> type, ProjectionHandler<T> handler) {
            plain.add(new Entry(requireType(type), Kind.ALL, "", plainHandler(handler), null));
            return this;
        }

        /** Like {@link #all(Class, ProjectionHandler)}, on the store's connection in the checkpoint's transaction. */
        public <T extends E> Builder<E> all(Class<T> type, ConnectionHandler<T> handler) {
            inTransaction.add(new Entry(requireType(type), Kind.ALL, "", null, connectionHandler(handler)));
            return this;
        }

        /** Builds the projection. */
        public Projection<E> build() {
            return new Projection<>(plain, inTransaction);
        }

        private String requireKey(String key) {
            Objects.requireNonNull(key, "key");
            WellFormedText.requireIdentifier("A once handler's key", key, MAX_KEY_LENGTH);
            if (!onceKeys.add(key)) {
                throw new IllegalArgumentException("Two once handlers share the key '" + key + "'; give each its own");
            }
            return key;
        }

        private static Class<?> requireType(Class<?> type) {
            return Objects.requireNonNull(type, "type");
        }

        @SuppressWarnings("unchecked")
        private static <T> Plain plainHandler(ProjectionHandler<T> handler) {
            Objects.requireNonNull(handler, "handler");
            return record -> handler.handle((EventRecord<T>) record);
        }

        @SuppressWarnings("unchecked")
        private static <T> InTransaction connectionHandler(ConnectionHandler<T> handler) {
            Objects.requireNonNull(handler, "handler");
            return (record, connection) -> handler.handle((EventRecord<T>) record, connection);
        }
    }
}
