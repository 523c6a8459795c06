package dev.runestone.postgres.subscription;

import dev.runestone.registry.EventRegistry;

/** The events the subscription tests append: hand-written records, registered by hand. */
sealed interface TaskEvent permits TaskEvent.Opened, TaskEvent.Noted {

    record Opened(Body data) implements TaskEvent {
    }

    record Noted(Body data) implements TaskEvent {
    }

    record Body(long n) {
    }

    static EventRegistry<TaskEvent> registry() {
        return EventRegistry.builder(TaskEvent.class)
                .register("task:opened", Opened.class)
                .register("task:noted", Noted.class)
                .build();
    }

    static Noted noted(long n) {
        return new Noted(new Body(n));
    }

    static Opened opened(long n) {
        return new Opened(new Body(n));
    }

    /** The number an event carries. */
    default long n() {
        return switch (this) {
            case Opened opened -> opened.data().n();
            case Noted noted -> noted.data().n();
        };
    }
}
