package dev.runestone.registry;

import java.math.BigDecimal;

/** Sizes of JSON numbers, as the limits of {@link dev.runestone.registry.EventLimits} count them. */
final class Numbers {

    private Numbers() {
    }

    /**
     * How many characters the number takes at most, in whichever form a reader meets it: as Java writes it
     * ({@code 1.5E-7}) or written out in full ({@code 0.00000015}), as PostgreSQL's {@code jsonb} gives it back.
     * Computed from precision and scale, so {@code 1E+999999} is measured without being written out.
     */
    static long writtenLength(BigDecimal value) {
        long precision = value.precision();
        long scale = value.scale();
        long inFull;
        if (scale <= 0) {
            inFull = precision - scale;
        } else if (scale >= precision) {
            inFull = scale + 2;
        } else {
            inFull = precision + 1;
        }
        if (value.signum() < 0) {
            inFull++;
        }
        return Math.max(inFull, value.toString().length());
    }
}
