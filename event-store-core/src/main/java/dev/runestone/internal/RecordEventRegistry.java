package dev.runestone.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.runestone.EventDecodingException;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.UnknownEventTypeException;
import dev.runestone.registry.EventRegistry;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EventRegistry} of Java records whose {@code data} and {@code meta} components are encoded with Jackson.
 * Immutable and thread-safe once built.
 *
 * @param <E> the common supertype of the events
 */
public final class RecordEventRegistry<E> implements EventRegistry<E> {

    private static final ObjectMapper MAPPER = Jackson.mapper();

    private final Class<E> eventType;
    private final Map<String, Entry<?>> byType;
    private final Map<Class<?>, Entry<?>> byClass;

    private RecordEventRegistry(Class<E> eventType, Map<String, Entry<?>> byType) {
        this.eventType = eventType;
        this.byType = Map.copyOf(byType);
        Map<Class<?>, Entry<?>> classes = new LinkedHashMap<>();
        byType.values().forEach(entry -> classes.put(entry.eventClass(), entry));
        this.byClass = Map.copyOf(classes);
    }

    /** Starts a registry of records implementing {@code eventType}. */
    public static <E> EventRegistry.Builder<E> builder(Class<E> eventType) {
        return new RegistryBuilder<>(eventType);
    }

    @Override
    public Class<E> eventType() {
        return eventType;
    }

    @Override
    public Set<String> types() {
        return byType.keySet();
    }

    @Override
    public String typeOf(Class<?> eventClass) {
        return entryOf(eventClass).type();
    }

    @Override
    public Class<? extends E> classOf(String type) {
        return entryOf(type).eventClass().asSubclass(eventType);
    }

    @Override
    public EncodedEvent encode(E event) {
        Entry<?> entry = entryOf(event.getClass());
        return new EncodedEvent(entry.type(), entry.write(entry.data(), event), entry.write(entry.meta(), event));
    }

    @Override
    public E decode(String type, EncodedEvent encoded) {
        return eventType.cast(entryOf(type).read(encoded));
    }

    @Override
    public List<Violation> validate(E event) {
        return entryOf(event.getClass()).check(event);
    }

    private Entry<?> entryOf(Class<?> eventClass) {
        Entry<?> entry = byClass.get(eventClass);
        if (entry == null) {
            throw new UnknownEventTypeException(eventClass.getName() + " is not a registered event; register it with "
                    + "EventRegistry.builder(" + eventType.getSimpleName() + ".class).register(\"<type>\", "
                    + eventClass.getSimpleName() + ".class). Registered: " + new TreeSet<>(byType.keySet()));
        }
        return entry;
    }

    private Entry<?> entryOf(String type) {
        Entry<?> entry = byType.get(type);
        if (entry == null) {
            throw new UnknownEventTypeException("Event type '" + type + "' is not registered. Registered: "
                    + new TreeSet<>(byType.keySet()));
        }
        return entry;
    }

    /** One component, {@code data} or {@code meta}, with its precomputed Jackson reader and writer. */
    private record Part(Method accessor, ObjectReader reader, ObjectWriter writer) {

        static @Nullable Part of(@Nullable RecordComponent component) {
            if (component == null) {
                return null;
            }
            var javaType = MAPPER.getTypeFactory().constructType(component.getGenericType());
            return new Part(component.getAccessor(), MAPPER.readerFor(javaType), MAPPER.writerFor(javaType));
        }
    }

    private record Entry<T>(String type, Class<T> eventClass, Constructor<T> constructor, List<String> order,
            @Nullable Part data, @Nullable Part meta, EventRegistry.@Nullable Validator<? super T> validator) {

        @Nullable String write(@Nullable Part part, Object event) {
            if (part == null) {
                return null;
            }
            try {
                return part.writer().writeValueAsString(part.accessor().invoke(event));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("Cannot write " + type + " as JSON: " + e.getOriginalMessage(), e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot read " + part.accessor() + " of " + type, e);
            }
        }

        T read(EncodedEvent encoded) {
            Object[] arguments = new Object[order.size()];
            for (int i = 0; i < arguments.length; i++) {
                boolean isData = order.get(i).equals("data");
                arguments[i] = readPart(isData ? data : meta, isData ? encoded.data() : encoded.meta(), order.get(i));
            }
            try {
                return constructor.newInstance(arguments);
            } catch (InvocationTargetException e) {
                throw new EventDecodingException("stored " + type + " is rejected by " + eventClass.getSimpleName()
                        + ": " + e.getCause().getMessage(), e.getCause());
            } catch (IllegalArgumentException e) {
                // A part stored as nothing cannot fill a primitive component.
                throw new EventDecodingException("stored " + type + " does not fit " + eventClass.getSimpleName()
                        + ": a component of primitive type has no stored value", e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot construct " + eventClass.getName(), e);
            }
        }

        private @Nullable Object readPart(@Nullable Part part, @Nullable String json, String name) {
            if (json == null || part == null) {
                return null;
            }
            try {
                return part.reader().readValue(json);
            } catch (JsonProcessingException e) {
                throw new EventDecodingException("the " + name + " of " + type + " does not fit "
                        + eventClass.getSimpleName() + ": " + e.getOriginalMessage(), e);
            }
        }

        List<Violation> check(Object event) {
            return validator == null ? List.of() : List.copyOf(validator.validate(eventClass.cast(event)));
        }
    }

    private static final class RegistryBuilder<E> implements EventRegistry.Builder<E> {

        private final Class<E> eventType;
        private final Map<String, Entry<?>> entries = new LinkedHashMap<>();

        RegistryBuilder(Class<E> eventType) {
            this.eventType = Objects.requireNonNull(eventType, "eventType");
        }

        @Override
        public <T extends E> EventRegistry.Builder<E> register(String type, Class<T> eventClass) {
            return add(type, eventClass, null);
        }

        @Override
        public <T extends E> EventRegistry.Builder<E> register(String type, Class<T> eventClass,
                EventRegistry.Validator<? super T> validator) {
            return add(type, eventClass, Objects.requireNonNull(validator, "validator"));
        }

        private <T extends E> EventRegistry.Builder<E> add(String type, Class<T> eventClass,
                EventRegistry.@Nullable Validator<? super T> validator) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(eventClass, "eventClass");
            if (type.isBlank()) {
                throw new IllegalArgumentException("An event type string must not be blank (" + eventClass.getName()
                        + ")");
            }
            if (entries.containsKey(type)) {
                throw new IllegalArgumentException("Event type '" + type + "' is registered twice: "
                        + entries.get(type).eventClass().getName() + " and " + eventClass.getName());
            }
            entries.values().stream().filter(entry -> entry.eventClass().equals(eventClass)).findFirst()
                    .ifPresent(entry -> {
                        throw new IllegalArgumentException(eventClass.getName() + " is registered twice: as '"
                                + entry.type() + "' and '" + type + "'");
                    });
            if (!eventClass.isRecord()) {
                throw new IllegalArgumentException(eventClass.getName() + " (type '" + type
                        + "') must be a record with components named data and/or meta");
            }
            RecordComponent[] components = eventClass.getRecordComponents();
            RecordComponent data = null;
            RecordComponent meta = null;
            List<String> order = new ArrayList<>();
            for (RecordComponent component : components) {
                switch (component.getName()) {
                    case "data" -> data = component;
                    case "meta" -> meta = component;
                    default -> throw new IllegalArgumentException(eventClass.getName() + " (type '" + type
                            + "') has a component '" + component.getName()
                            + "'; an event record may only have components named data and meta");
                }
                order.add(component.getName());
            }
            Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<T> constructor;
            try {
                constructor = eventClass.getDeclaredConstructor(parameterTypes);
                constructor.setAccessible(true);
            } catch (NoSuchMethodException | RuntimeException e) {
                throw new IllegalArgumentException("Cannot use the canonical constructor of " + eventClass.getName()
                        + "; make the record and its constructor accessible", e);
            }
            for (RecordComponent component : components) {
                component.getAccessor().setAccessible(true);
            }
            entries.put(type, new Entry<>(type, eventClass, constructor, List.copyOf(order), Part.of(data),
                    Part.of(meta), validator));
            return this;
        }

        @Override
        public EventRegistry<E> build() {
            if (eventType.isSealed()) {
                List<String> missing = new ArrayList<>();
                collectUnregistered(eventType, missing);
                if (!missing.isEmpty()) {
                    throw new IllegalStateException("These records implement " + eventType.getName()
                            + " but are not registered: " + missing + ". Register each with a type string.");
                }
            }
            return new RecordEventRegistry<>(eventType, entries);
        }

        private void collectUnregistered(Class<?> type, List<String> missing) {
            for (Class<?> permitted : type.getPermittedSubclasses()) {
                if (permitted.isSealed()) {
                    collectUnregistered(permitted, missing);
                } else if (permitted.isRecord()
                        && entries.values().stream().noneMatch(entry -> entry.eventClass().equals(permitted))) {
                    missing.add(permitted.getName());
                }
            }
        }
    }
}
