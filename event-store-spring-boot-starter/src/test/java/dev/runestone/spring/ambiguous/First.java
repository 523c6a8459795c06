package dev.runestone.spring.ambiguous;

import dev.runestone.registry.EventRegistry;

/** One of two event interfaces in the same application. */
public sealed interface First {

    static EventRegistry<First> registry() {
        return EventRegistry.builder(First.class).register("first:happened", Happened.class).build();
    }

    /** It happened. */
    record Happened(String data) implements First {
    }
}
