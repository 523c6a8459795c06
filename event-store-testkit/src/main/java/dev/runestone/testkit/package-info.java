/**
 * The conformance suites every storage adapter runs: abstract JUnit classes, one per concern, and the fixture an
 * adapter's tests supply.
 *
 * <p>An adapter's test module adds one small subclass per suite that returns its
 * {@link dev.runestone.testkit.EventStoreFixture}; a store that can be closed and opened again on the same data
 * also runs {@link dev.runestone.testkit.DurabilitySuite} and {@link dev.runestone.testkit.SubscriptionInstancesSuite}
 * through a {@link dev.runestone.testkit.ReopenableFixture}. A store that cannot does not extend those suites: the
 * absence is visible in its test sources, never a runtime skip.
 */
@NullMarked
package dev.runestone.testkit;

import org.jspecify.annotations.NullMarked;
