package dev.runestone;

import java.util.Arrays;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Folds a stream's events, in {@code created} order, into a state, starting from an initial state.
 *
 * <p>The name identifies the reducer's snapshots, so it must be unique and stay stable across releases. States are
 * stored in snapshots as JSON with Jackson, so records and plain classes with a no-argument constructor work. Each
 * snapshot also keeps the {@linkplain #stateFingerprint() fingerprint} of its state's shape: after a release that
 * changes the shape, older snapshots are ignored and rebuilt rather than read into the wrong one.
 *
 * <pre>{@code
 * Reducer<UserState, UserEvent> users = Reducer.of("user", UserState.class, UserState::empty,
 *         (state, record) -> switch (record.event()) {
 *             case UserCreated created -> new UserState(created.data().name(), created.data().email());
 *             case UserEmailSet emailSet -> state.withEmail(emailSet.data());
 *         });
 * }</pre>
 *
 * @param <S> the state type
 * @param <E> the event type
 */
public interface Reducer<S, E> {

    /**
     * A reducer from functions.
     *
     * @param name      unique, stable name; keys the reducer's snapshots
     * @param stateType the state's class, used to read snapshots back
     * @param initial   makes the state to start from
     * @param fold      returns the state after one more event; may return the state it was given
     */
    static <S, E> Reducer<S, E> of(String name, Class<S> stateType, Supplier<? extends S> initial,
            BiFunction<? super S, EventRecord<E>, ? extends S> fold) {
        return new FunctionReducer<>(name, stateType, initial, fold, Set.of());
    }

    /**
     * A reducer that folds events into an {@link AggregateRoot} through its {@code with} method.
     *
     * @param name    unique, stable name; keys the aggregate's snapshots
     * @param factory makes an empty aggregate
     */
    static <A extends AggregateRoot<E>, E> AggregateReducer<A, E> aggregate(String name, Supplier<A> factory) {
        return new AggregateReducer<>(name, factory);
    }

    /** The reducer's unique name. */
    String name();

    /** The state's class. */
    Class<S> stateType();

    /** A fresh initial state. */
    S initialState();

    /** Returns the state after folding in one more event. */
    S fold(S state, EventRecord<E> record);

    /** The event classes this reducer folds; empty means every class. Other events are not read. */
    Set<Class<?>> types();

    /**
     * What this reducer's snapshots are tagged with: a snapshot with another fingerprint is ignored, and the state
     * folded from the first event. By default the shape of {@link #stateType()} (record components or the fields
     * JSON keeps, with their types, recursively), so a release that changes the shape rebuilds its snapshots by
     * itself. Override it to declare a version instead (say {@code "2"}) when the shape says too much or too
     * little: a change of meaning without a change of shape, or a new field that old snapshots may simply lack.
     */
    default String stateFingerprint() {
        return StateFingerprint.of(stateType());
    }

    /**
     * This reducer restricted to some event classes. It keeps its name, so give a filtered reducer its own name if
     * the unfiltered one is also used with snapshots.
     */
    default Reducer<S, E> onlyTypes(Class<?>... eventClasses) {
        return new FilteredReducer<>(this, Set.copyOf(Arrays.asList(eventClasses)));
    }
}
