/**
 * Meters and spans for a Runestone event store through Micrometer's Observation API.
 *
 * <p>Start at {@link dev.runestone.micrometer.MicrometerInstrumentation}, which implements core's
 * {@link dev.runestone.instrumentation.Instrumentation}. What it observes is listed in
 * {@link dev.runestone.micrometer.RunestoneObservation} (timed work, with the key values of its meters and spans) and
 * in {@link dev.runestone.micrometer.RunestoneMeters} (counters, gauges and the distribution summary);
 * {@code docs/observability.md} has the table.
 */
@NullMarked
package dev.runestone.micrometer;

import org.jspecify.annotations.NullMarked;
