package dev.runestone.spring.detected;

import dev.runestone.registry.EventRegistry;

/** An event interface shaped as the generator writes one: sealed, records, and a static {@code registry()}. */
public sealed interface Greeting {

    static EventRegistry<Greeting> registry() {
        return EventRegistry.builder(Greeting.class).register("greeting:said", Said.class).build();
    }

    /** A greeting was said. */
    record Said(String data) implements Greeting {
    }
}
