/**
 * Runestone: an embeddable event store. Start at {@link dev.runestone.EventStore}.
 *
 * <p>This package holds the types used every day: the store, the event envelopes, reducers, aggregate roots and
 * the exceptions. Every exception thrown on purpose extends {@link dev.runestone.RunestoneException}.
 */
@NullMarked
package dev.runestone;

import org.jspecify.annotations.NullMarked;
