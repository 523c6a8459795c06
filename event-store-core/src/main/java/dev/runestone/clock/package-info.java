/**
 * The hybrid logical clock that stamps every event's {@code created} time.
 *
 * <p>A hybrid logical clock follows wall time but never goes backwards and never hands out the same timestamp
 * twice, even when the wall clock stalls or steps back, or when timestamps arrive from other stores.
 */
@NullMarked
package dev.runestone.clock;

import org.jspecify.annotations.NullMarked;
