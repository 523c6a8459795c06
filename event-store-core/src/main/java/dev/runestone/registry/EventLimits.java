package dev.runestone.registry;

/**
 * How large and deep an event's JSON may be: the one set of limits a registry applies when it writes an event and,
 * the same, when it reads one back, so that whatever a store accepts, every reader of it can decode.
 *
 * <p>Writing an event over a limit fails with {@link dev.runestone.EventValidationException} naming the JSON path
 * and the limit, before anything is stored; reading stored JSON over a limit fails with
 * {@link dev.runestone.EventDecodingException} the same way. Lengths count UTF-16 characters, as Java strings do;
 * {@code maxEventBytes} counts the UTF-8 bytes of the event's data and meta together, and is checked on write only
 * (PostgreSQL gives {@code jsonb} back with spaces the writer did not send). Raising a limit is always safe; lowering
 * one below what the log already holds makes those events undecodable to this registry.
 *
 * <pre>{@code
 * EventRegistry<UserEvent> registry = UserEvent.registryBuilder()
 *         .limits(EventLimits.defaults().withMaxEventBytes(8 << 20))
 *         .build();
 * }</pre>
 *
 * @param maxEventBytes   UTF-8 bytes of data and meta together; default 1 MiB, at most 128 MiB
 * @param maxNestingDepth objects and arrays inside each other; default and most 1,000 (deeper JSON overflows
 *                        parsers' stacks, PostgreSQL's among them)
 * @param maxNumberLength characters of a number written out in full, without an exponent (as PostgreSQL keeps it);
 *                        default 1,000, at most 10,000
 * @param maxNameLength   characters of a property name; default 50,000
 * @param maxStringLength characters of a string value; default 20,000,000
 */
public record EventLimits(int maxEventBytes, int maxNestingDepth, int maxNumberLength, int maxNameLength,
        int maxStringLength) {

    /** The largest {@code maxEventBytes}: comfortably inside what PostgreSQL's {@code jsonb} stores. */
    public static final int MOST_EVENT_BYTES = 128 << 20;
    /** The largest {@code maxNestingDepth}. */
    public static final int MOST_NESTING_DEPTH = 1_000;
    /** The largest {@code maxNumberLength}. */
    public static final int MOST_NUMBER_LENGTH = 10_000;

    private static final EventLimits DEFAULTS = new EventLimits(1 << 20, 1_000, 1_000, 50_000, 20_000_000);

    public EventLimits {
        inRange("maxEventBytes", maxEventBytes, MOST_EVENT_BYTES);
        inRange("maxNestingDepth", maxNestingDepth, MOST_NESTING_DEPTH);
        inRange("maxNumberLength", maxNumberLength, MOST_NUMBER_LENGTH);
        inRange("maxNameLength", maxNameLength, Integer.MAX_VALUE);
        inRange("maxStringLength", maxStringLength, Integer.MAX_VALUE);
    }

    /** 1 MiB per event, 1,000 levels, 1,000-digit numbers, 50,000-character names, 20,000,000-character strings. */
    public static EventLimits defaults() {
        return DEFAULTS;
    }

    /** These limits with another {@code maxEventBytes}. */
    public EventLimits withMaxEventBytes(int maxEventBytes) {
        return new EventLimits(maxEventBytes, maxNestingDepth, maxNumberLength, maxNameLength, maxStringLength);
    }

    /** These limits with another {@code maxNestingDepth}. */
    public EventLimits withMaxNestingDepth(int maxNestingDepth) {
        return new EventLimits(maxEventBytes, maxNestingDepth, maxNumberLength, maxNameLength, maxStringLength);
    }

    /** These limits with another {@code maxNumberLength}. */
    public EventLimits withMaxNumberLength(int maxNumberLength) {
        return new EventLimits(maxEventBytes, maxNestingDepth, maxNumberLength, maxNameLength, maxStringLength);
    }

    /** These limits with another {@code maxNameLength}. */
    public EventLimits withMaxNameLength(int maxNameLength) {
        return new EventLimits(maxEventBytes, maxNestingDepth, maxNumberLength, maxNameLength, maxStringLength);
    }

    /** These limits with another {@code maxStringLength}. */
    public EventLimits withMaxStringLength(int maxStringLength) {
        return new EventLimits(maxEventBytes, maxNestingDepth, maxNumberLength, maxNameLength, maxStringLength);
    }

    private static void inRange(String name, int value, int most) {
        if (value < 1 || value > most) {
            throw new IllegalArgumentException(name + " must be between 1 and " + most + ", was " + value);
        }
    }
}
