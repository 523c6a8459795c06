/**
 * The event registry: which Java record stands for which event type string, and how it becomes JSON and back.
 *
 * <p>Code generated from event configs implements {@link dev.runestone.registry.EventRegistry}; hand-written sealed
 * records are registered with {@link dev.runestone.registry.EventRegistry#builder(Class)}.
 */
@NullMarked
package dev.runestone.registry;

import org.jspecify.annotations.NullMarked;
