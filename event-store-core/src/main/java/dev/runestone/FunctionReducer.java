package dev.runestone;

import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/** A reducer made of functions. */
record FunctionReducer<S, E>(String name, Class<S> stateType, Supplier<? extends S> initial,
        BiFunction<? super S, EventRecord<E>, ? extends S> folder, Set<Class<?>> types) implements Reducer<S, E> {

    FunctionReducer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stateType, "stateType");
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(folder, "fold");
        Snapshots.requireReducerName(name);
    }

    @Override
    public S initialState() {
        return initial.get();
    }

    @Override
    public S fold(S state, EventRecord<E> record) {
        return folder.apply(state, record);
    }
}
