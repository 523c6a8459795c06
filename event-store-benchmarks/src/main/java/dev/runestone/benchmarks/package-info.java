/**
 * Benchmarks of Runestone's hot paths, each side by side in interleaved rounds with a plain-JDBC baseline on the
 * same schema or with Axon Framework 4; {@link dev.runestone.benchmarks.Benchmarks} is the entry point.
 */
@NullMarked
package dev.runestone.benchmarks;

import org.jspecify.annotations.NullMarked;
