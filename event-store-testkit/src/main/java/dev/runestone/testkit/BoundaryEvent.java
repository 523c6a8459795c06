package dev.runestone.testkit;

import dev.runestone.registry.EventLimits;
import dev.runestone.registry.EventRegistry;
import java.math.BigDecimal;

/**
 * Hand-written events whose data can take any shape, to put values at and past every limit of the log's boundary:
 * trees of any depth and property names, strings, decimals and doubles of any size.
 */
sealed interface BoundaryEvent {

    /** Nested maps and lists of strings and small integers. */
    record Tree(Object data) implements BoundaryEvent {
    }

    record Text(String data) implements BoundaryEvent {
    }

    record Amount(BigDecimal data) implements BoundaryEvent {
    }

    record Ratio(double data) implements BoundaryEvent {
    }

    record Count(long data) implements BoundaryEvent {
    }

    /** A registry of every boundary event under {@code limits}. */
    static EventRegistry<BoundaryEvent> registry(EventLimits limits) {
        return EventRegistry.builder(BoundaryEvent.class)
                .register("tree", Tree.class)
                .register("text", Text.class)
                .register("amount", Amount.class)
                .register("ratio", Ratio.class)
                .register("count", Count.class)
                .limits(limits)
                .build();
    }
}
