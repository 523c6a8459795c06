/**
 * Durable subscriptions: named readers of the log that keep their checkpoint in the store, survive crashes with
 * nothing lost (at-least-once; exactly-once for work done on the store's own connection), share the work between
 * instances by partition with fenced leases, retry and park failing events.
 *
 * <p>Start one with {@link dev.runestone.EventStore#subscribe(String)}; manage stored state (checkpoints, parked
 * events) with {@link dev.runestone.EventStore#subscriptions()}. {@code docs/subscriptions.md} explains the
 * guarantees.
 */
@NullMarked
package dev.runestone.subscription;

import org.jspecify.annotations.NullMarked;
