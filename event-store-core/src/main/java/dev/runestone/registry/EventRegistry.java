package dev.runestone.registry;

import dev.runestone.EventValidationException.Violation;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Ties event type strings ({@code user:created}) to the Java records that carry them, encodes those records to
 * JSON and back, and validates them.
 *
 * <p>An event record has up to two components, {@code data} and {@code meta}, each stored as its own JSON document;
 * a record without one of them stores nothing for it. Implementations must be thread-safe and immutable, and keep
 * one promise the store relies on: whatever {@link #encode} returns, {@link #decode} turns back into an equal event.
 * The built-in registry keeps it by refusing in {@code encode} what it could not give back (see
 * {@link EventLimits}) and by decoding strictly: no coercion between JSON types, no unknown or duplicate properties.
 *
 * <p>Register hand-written records with {@link #builder(Class)}:
 * <pre>{@code
 * EventRegistry<UserEvent> registry = EventRegistry.builder(UserEvent.class)
 *         .register("user:created", UserCreated.class)
 *         .register("user:email-set", UserEmailSet.class)
 *         .build();
 * }</pre>
 *
 * @param <E> the common supertype of the events, usually a sealed interface
 */
public interface EventRegistry<E> {

    /** Starts a registry of records implementing {@code eventType}, encoded with Jackson. */
    static <E> Builder<E> builder(Class<E> eventType) {
        return RecordEventRegistry.builder(eventType);
    }

    /** The common supertype of the registered events. */
    Class<E> eventType();

    /** Every registered type string. */
    Set<String> types();

    /**
     * The type string registered for a class.
     *
     * @throws dev.runestone.UnknownEventTypeException if the class is not registered
     */
    String typeOf(Class<?> eventClass);

    /**
     * The version of {@code type} that {@link #encode} writes: 1 unless a newer one is registered.
     *
     * @throws dev.runestone.UnknownEventTypeException if the type is not registered
     */
    int versionOf(String type);

    /**
     * The class registered for a type string.
     *
     * @throws dev.runestone.UnknownEventTypeException if the type is not registered
     */
    Class<? extends E> classOf(String type);

    /**
     * Encodes an event's data and meta as JSON text.
     *
     * @throws dev.runestone.UnknownEventTypeException if the event's class is not registered
     * @throws dev.runestone.EventValidationException  if the JSON would not read back equal: over a limit,
     *                                                  ill-formed Unicode, or a number a database would rewrite
     */
    EncodedEvent encode(E event);

    /**
     * Decodes stored JSON into the event record registered for {@code type}, today's version: JSON of an older
     * version goes through the registered upcasters on the way; the stored text is never changed.
     *
     * @throws dev.runestone.UnknownEventTypeException    if the type is not registered
     * @throws dev.runestone.UnknownEventVersionException if the JSON is of a version newer than the registry knows
     * @throws dev.runestone.EventDecodingException    if the JSON does not fit the record; its
     *                                                  {@code violations()} name the path and the rule
     */
    E decode(String type, EncodedEvent encoded);

    /**
     * Checks an event against the rules of its type that its constructor does not already enforce.
     *
     * @return every broken rule; empty when the event is valid
     */
    List<Violation> validate(E event);

    /**
     * An event's payload as JSON text, at the version of its type it was written at.
     *
     * @param type    the event type string
     * @param version the version of the type the JSON follows, from 1
     * @param data    the data as JSON, or {@code null} when the event type has no data
     * @param meta    the meta as JSON, or {@code null} when the event type has no meta
     */
    record EncodedEvent(String type, int version, @Nullable String data, @Nullable String meta) {

        public EncodedEvent {
            Objects.requireNonNull(type, "type");
            if (version < 1) {
                throw new IllegalArgumentException("An event type's version starts at 1, was " + version);
            }
        }

        /** JSON at version 1 of its type, as every event was before types had versions. */
        public EncodedEvent(String type, @Nullable String data, @Nullable String meta) {
            this(type, 1, data, meta);
        }
    }

    /**
     * Extra rules for one event type, checked before an event of that type is written.
     *
     * @param <T> the event record
     */
    @FunctionalInterface
    interface Validator<T> {

        /** Returns every broken rule; an empty list when {@code event} is valid. */
        List<Violation> validate(T event);
    }

    /**
     * Collects record registrations. Not thread-safe; the registry it builds is.
     *
     * @param <E> the common supertype of the events
     */
    interface Builder<E> {

        /**
         * Registers a record under a type string.
         *
         * @throws IllegalArgumentException if the type or class is registered already, the type string is blank,
         *                                  longer than 512 characters or not printable, well-formed Unicode, or
         *                                  the class is not a record whose components are {@code data} and/or
         *                                  {@code meta}
         */
        <T extends E> Builder<E> register(String type, Class<T> eventClass);

        /**
         * Registers a record as version {@code version} of a type, the version events are written at; older versions
         * are read through {@link #upcaster}s, one for each step from 1 up.
         *
         * @throws IllegalArgumentException as {@link #register(String, Class)} does, or if {@code version} is below 1
         */
        <T extends E> Builder<E> register(String type, int version, Class<T> eventClass);

        /**
         * Reads events stored at {@code fromVersion} of {@code type} as {@code storedAs} (a record with
         * {@code data} and/or {@code meta} components, like an event record, that need not implement the event
         * type), then turns them into the next version with {@code upcaster}: into the record registered for
         * {@code fromVersion + 1}, or into the {@code storedAs} of the next step.
         *
         * @throws IllegalArgumentException if a step from that version is registered already, or {@code storedAs} is
         *                                  not such a record
         */
        <O> Builder<E> upcaster(String type, int fromVersion, Class<O> storedAs, Upcaster<? super O, ?> upcaster);

        /**
         * Rewrites JSON stored as {@code version} of {@code type} before it is decoded; see {@link JsonUpcaster}.
         * The type need not be registered (it may be one that was renamed).
         *
         * @throws IllegalArgumentException if a JSON upcaster for that type and version is registered already
         */
        Builder<E> jsonUpcaster(String type, int version, JsonUpcaster upcaster);

        /** Registers a record with extra validation rules; see {@link #register(String, Class)}. */
        <T extends E> Builder<E> register(String type, Class<T> eventClass, Validator<? super T> validator);

        /**
         * Adds rules to a record registered already, such as one a generated {@code registryBuilder()} registered;
         * a record may have several validators, and each is checked.
         *
         * @throws IllegalArgumentException if the class is not registered
         */
        <T extends E> Builder<E> validator(Class<T> eventClass, Validator<? super T> validator);

        /** The limits events are held to, writing and reading; {@link EventLimits#defaults()} unless set. */
        Builder<E> limits(EventLimits limits);

        /**
         * Builds the registry.
         *
         * @throws IllegalStateException if the event type is sealed and a permitted record is not registered, or a
         *                               type's upcasters do not lead from version 1 to its registered version
         */
        EventRegistry<E> build();
    }
}
