package dev.runestone.testkit;

import dev.runestone.registry.EventRegistry;

/**
 * The events the subscription and process tests append: hand-written records, registered by hand, each carrying a
 * number so tests can check that every event arrived once and in order.
 */
public sealed interface TaskEvent permits TaskEvent.Opened, TaskEvent.Noted {

    /** A task was opened. */
    record Opened(Body data) implements TaskEvent {
    }

    /** A note was added to a task. */
    record Noted(Body data) implements TaskEvent {
    }

    /** The payload: a number. */
    record Body(long n) {
    }

    /** The registry for both task events. */
    static EventRegistry<TaskEvent> registry() {
        return EventRegistry.builder(TaskEvent.class)
                .register("task:opened", Opened.class)
                .register("task:noted", Noted.class)
                .build();
    }

    /** A noted event carrying {@code n}. */
    static Noted noted(long n) {
        return new Noted(new Body(n));
    }

    /** An opened event carrying {@code n}. */
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
