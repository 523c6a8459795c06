package dev.runestone.projector;

/** A handler's registration with a {@link Projector}; unsubscribing removes the handler. */
@FunctionalInterface
public interface Registration {

    /** Removes the handler; events already being handled finish. Calling it twice is harmless. */
    void unsubscribe();
}
