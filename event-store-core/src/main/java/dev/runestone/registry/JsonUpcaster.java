package dev.runestone.registry;

import dev.runestone.registry.EventRegistry.EncodedEvent;

/**
 * Rewrites an event's stored JSON before it is decoded, for a change a typed {@link Upcaster} cannot express: a type
 * renamed ({@code user:registered} became {@code user:created}), split or merged, or JSON no record of any version
 * reads. It gets the stored type, version, data and meta, and returns them as another type or version would have
 * stored them; decoding then goes on from there, through further JSON or typed upcasters. The stored row is never
 * rewritten. Prefer a typed upcaster whenever the old version has a record: the compiler checks it.
 */
@FunctionalInterface
public interface JsonUpcaster {

    /** The event as {@code stored}'s successor keeps it; must not return {@code null}. */
    EncodedEvent upcast(EncodedEvent stored);
}
