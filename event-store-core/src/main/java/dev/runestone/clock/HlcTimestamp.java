package dev.runestone.clock;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A hybrid logical clock reading: wall time in milliseconds plus a logical counter that orders readings within
 * one millisecond.
 *
 * <p>{@link #toString()} gives a fixed-width form, e.g. {@code 2026-11-26T05:35:58.123Z-000002}, whose string order
 * is time order, so databases can sort and compare it as text. {@link #parse(String)} reads it back.
 *
 * @param time    milliseconds since the epoch, between 0 and the end of year 9999
 * @param logical the counter within {@code time}, between 0 and {@link #MAX_LOGICAL}
 */
public record HlcTimestamp(long time, int logical) implements Comparable<HlcTimestamp> {

    /** The largest logical counter; the clock moves to the next millisecond rather than go past it. */
    public static final int MAX_LOGICAL = 999_999;

    /** The largest wall time the string form can hold: 9999-12-31T23:59:59.999Z. */
    public static final long MAX_TIME = 253_402_300_799_999L;

    private static final int TIME_LENGTH = 24;
    private static final int LENGTH = TIME_LENGTH + 7;

    public HlcTimestamp {
        if (time < 0 || time > MAX_TIME) {
            throw new IllegalArgumentException("time must be between 0 and " + MAX_TIME + " ms, was " + time);
        }
        if (logical < 0 || logical > MAX_LOGICAL) {
            throw new IllegalArgumentException("logical must be between 0 and " + MAX_LOGICAL + ", was " + logical);
        }
    }

    /**
     * Reads the string form written by {@link #toString()}.
     *
     * @throws IllegalArgumentException if {@code text} is not in that form
     */
    public static HlcTimestamp parse(String text) {
        if (text.length() != LENGTH || text.charAt(TIME_LENGTH) != '-') {
            throw new IllegalArgumentException(
                    "Not a Runestone timestamp: '" + text + "' (expected e.g. 2026-11-26T05:35:58.123Z-000002)");
        }
        // Read field by field rather than through a DateTimeFormatter: every stored event's created is parsed on
        // every read, and the formatter (with the canonical-form check it needed) took a quarter of the time of a
        // log scan. Fixed-width digits and LocalDateTime.of's range checks accept exactly the canonical form: no
        // signs, no 02-30, no 24:00.
        HlcTimestamp parsed;
        try {
            expect(text, 4, '-');
            expect(text, 7, '-');
            expect(text, 10, 'T');
            expect(text, 13, ':');
            expect(text, 16, ':');
            expect(text, 19, '.');
            expect(text, 23, 'Z');
            LocalDateTime wall = LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2),
                    digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2));
            long time = wall.toEpochSecond(ZoneOffset.UTC) * 1000 + digits(text, 20, 3);
            parsed = new HlcTimestamp(time, digits(text, TIME_LENGTH + 1, 6));
        } catch (DateTimeException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a Runestone timestamp: '" + text + "'", e);
        }
        return parsed;
    }

    private static void expect(String text, int index, char expected) {
        if (text.charAt(index) != expected) {
            throw new IllegalArgumentException("expected '" + expected + "' at index " + index);
        }
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("expected a digit at index " + i);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The wall time part as an instant. */
    public Instant instant() {
        return Instant.ofEpochMilli(time);
    }

    @Override
    public int compareTo(HlcTimestamp other) {
        int byTime = Long.compare(time, other.time);
        return byTime != 0 ? byTime : Integer.compare(logical, other.logical);
    }

    /** Tells whether this reading is later than {@code other}. */
    public boolean isAfter(HlcTimestamp other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        // Written field by field, like parse reads it: every append formats its events' created, and a
        // DateTimeFormatter took a tenth of a single append's time outside the database.
        LocalDateTime wall = LocalDateTime.ofEpochSecond(time / 1000, 0, ZoneOffset.UTC);
        char[] text = new char[LENGTH];
        put(text, 0, wall.getYear(), 4);
        text[4] = '-';
        put(text, 5, wall.getMonthValue(), 2);
        text[7] = '-';
        put(text, 8, wall.getDayOfMonth(), 2);
        text[10] = 'T';
        put(text, 11, wall.getHour(), 2);
        text[13] = ':';
        put(text, 14, wall.getMinute(), 2);
        text[16] = ':';
        put(text, 17, wall.getSecond(), 2);
        text[19] = '.';
        put(text, 20, (int) (time % 1000), 3);
        text[23] = 'Z';
        text[TIME_LENGTH] = '-';
        put(text, TIME_LENGTH + 1, logical, 6);
        return new String(text);
    }

    /** Writes {@code value} as {@code count} decimal digits, zero-padded, at {@code from}. */
    private static void put(char[] text, int from, int value, int count) {
        for (int i = from + count - 1; i >= from; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
