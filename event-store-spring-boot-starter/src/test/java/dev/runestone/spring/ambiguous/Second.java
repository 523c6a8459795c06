package dev.runestone.spring.ambiguous;

import dev.runestone.registry.EventRegistry;

/** The other of two event interfaces in the same application. */
public sealed interface Second {

    static EventRegistry<Second> registry() {
        return EventRegistry.builder(Second.class).register("second:happened", Happened.class).build();
    }

    /** It happened. */
    record Happened(String data) implements Second {
    }
}
