/**
 * Hooks through which an event store reports what it does, for metrics and tracing: appends, reads, reduces,
 * projector handlers, durable subscriptions and the database's own waits.
 *
 * <p>Give a store an {@link dev.runestone.instrumentation.Instrumentation} with
 * {@link dev.runestone.EventStore.Builder#instrumentation}; without one it uses
 * {@link dev.runestone.instrumentation.Instrumentation#NONE}, whose hooks do nothing and cost a call each. Core
 * depends on no metrics library: {@code event-store-micrometer} implements these hooks with Micrometer's
 * Observation API, which gives both meters and spans.
 *
 * <p>Every hook runs on the thread doing the work, inside it: an implementation must be thread-safe, quick, and must
 * not throw (what it throws reaches the caller of the store, or the subscription's retry logic).
 */
@NullMarked
package dev.runestone.instrumentation;

import org.jspecify.annotations.NullMarked;
