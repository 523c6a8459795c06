package dev.runestone;

import java.util.Objects;
import java.util.Set;

/** A reducer restricted to some event classes. */
record FilteredReducer<S, E>(Reducer<S, E> delegate, Set<Class<?>> types) implements Reducer<S, E> {

    FilteredReducer {
        Objects.requireNonNull(delegate, "delegate");
        if (types.isEmpty()) {
            throw new IllegalArgumentException("Name at least one event class to keep");
        }
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Class<S> stateType() {
        return delegate.stateType();
    }

    @Override
    public S initialState() {
        return delegate.initialState();
    }

    @Override
    public S fold(S state, EventRecord<E> record) {
        return delegate.fold(state, record);
    }

    @Override
    public String stateFingerprint() {
        return delegate.stateFingerprint();
    }
}
