/**
 * Test fixtures for code built on Runestone: given/when/then scenarios for aggregates, reducers, projector handlers
 * and durable subscriptions, run on a fresh store with a clock the test sets. Start at
 * {@link dev.runestone.test.TestEventStore}.
 *
 * <p>Put the module in test scope. It runs on an in-memory SQLite store unless a
 * {@link dev.runestone.test.TestStorage} says otherwise.
 */
@NullMarked
package dev.runestone.test;

import org.jspecify.annotations.NullMarked;
