package dev.runestone;

import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Folds events into an {@link AggregateRoot}; made by {@link Reducer#aggregate(String, Supplier)}.
 *
 * <p>{@link EventStore#reduce(Reducer, String)} with this reducer returns an aggregate bound to its stream, ready to
 * {@linkplain AggregateRoot#push(Object) push} new events and {@linkplain AggregateRoot#save() save};
 * {@link EventStore#create(AggregateReducer, String)} makes a new one. Immutable and thread-safe; the aggregates it
 * makes are not.
 *
 * @param <A> the aggregate type
 * @param <E> the event type
 */
public final class AggregateReducer<A extends AggregateRoot<E>, E> implements Reducer<A, E> {

    private final String name;
    private final Supplier<A> factory;
    private final Class<A> type;

    @SuppressWarnings("unchecked")
    AggregateReducer(String name, Supplier<A> factory) {
        this.name = Objects.requireNonNull(name, "name");
        this.factory = Objects.requireNonNull(factory, "factory");
        Snapshots.requireReducerName(name);
        this.type = (Class<A>) Objects.requireNonNull(factory.get(), "factory returned null").getClass();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<A> stateType() {
        return type;
    }

    @Override
    public A initialState() {
        return factory.get();
    }

    @Override
    public A fold(A aggregate, EventRecord<E> record) {
        aggregate.fold(record);
        return aggregate;
    }

    @Override
    public Set<Class<?>> types() {
        return Set.of();
    }

    @Override
    public String toString() {
        return "AggregateReducer[" + name + ", " + type.getName() + "]";
    }
}
