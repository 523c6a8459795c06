package dev.runestone.registry;

/**
 * One step of a type's history: turns an event as it was stored at one version into the event of the next version.
 * Steps chain, version 1 to 2 to 3, until the current record; the stored row is never rewritten. Generated code
 * declares one interface per step, so that a missing step does not compile.
 *
 * <pre>{@code
 * EventRegistry.builder(UserEvent.class)
 *         .register("user:created", 2, UserCreated.class)
 *         .upcaster("user:created", 1, UserCreatedV1.class,
 *                 (UserCreatedV1 old) -> new UserCreated(new UserCreated.Data(old.data().name(), null), old.meta()))
 *         .build();
 * }</pre>
 *
 * @param <O> the record of the older version
 * @param <N> the record of the next version
 */
@FunctionalInterface
public interface Upcaster<O, N> {

    /** The event at the next version; must not return {@code null}. */
    N upcast(O stored);
}
