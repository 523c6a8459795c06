package dev.runestone.testkit;

import dev.runestone.registry.EventLimits;
import dev.runestone.testkit.BoundaryEvent.Amount;
import dev.runestone.testkit.BoundaryEvent.Count;
import dev.runestone.testkit.BoundaryEvent.Ratio;
import dev.runestone.testkit.BoundaryEvent.Text;
import dev.runestone.testkit.BoundaryEvent.Tree;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Seeded random {@link BoundaryEvent}s at, just under and just past every limit of {@link EventLimits}, and the
 * stream ids to append them to, for {@link RoundTripPropertySuite}; and the words that describe them in a failure.
 *
 * <p>Most cases run under {@link #SMALL} limits, where every limit is cheap to reach; a quarter under the defaults,
 * where strings stay short (twenty million characters is too slow to approach case after case). Text mixes ASCII,
 * every control character, U+2028, U+FEFF, Hebrew, CJK and emoji; a case that is not clean adds NUL and lone
 * surrogates. The edge values of doubles, longs and decimals come first, so every run has them. The same seed gives
 * the same cases in the same order, whatever the store does with them. Not thread-safe.
 */
final class BoundaryValues {

    /** Limits small enough that values at and past each of them cost next to nothing to write and read. */
    static final EventLimits SMALL = EventLimits.defaults().withMaxNestingDepth(6).withMaxNumberLength(30)
            .withMaxNameLength(12).withMaxStringLength(40).withMaxEventBytes(4_000);

    /** Name and string lengths are drawn around a limit up to this; past it they stay short. */
    private static final int CHEAP_LENGTH = 100_000;

    /** How much of a value a failure message shows. */
    private static final int EXCERPT = 60;
    private static final int QUOTED = 24;

    private static final double[] EDGE_DOUBLES = {-0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
            Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), 0.1, 1e22};
    private static final long[] EDGE_LONGS = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1};
    private static final BigDecimal[] EDGE_DECIMALS = {new BigDecimal("1E+999999"), new BigDecimal("1E-999999"),
            new BigDecimal("-1E-999999"), new BigDecimal("0E+3"), new BigDecimal("0E-25"), new BigDecimal("-0.5")};

    /**
     * One append to make.
     *
     * @param number           counts the cases of a run from 1
     * @param stream           the stream id
     * @param wellFormedStream whether the stream id is a valid identifier; if not, the append must be refused
     * @param defaultLimits    whether the event is meant for a store with the default limits, else {@link #SMALL}
     * @param event            the event
     */
    record Case(int number, String stream, boolean wellFormedStream, boolean defaultLimits, BoundaryEvent event) {

        @Override
        public String toString() {
            return "case " + number + ": " + describe(event) + ", to stream " + quote(stream)
                    + (wellFormedStream ? "" : " (ill-formed)") + ", under " + (defaultLimits ? "default" : "small")
                    + " limits";
        }
    }

    private final Random random;
    /** Whether the text of the current case leaves out NUL and lone surrogates. */
    private boolean clean;
    private int doubles;
    private int longs;
    private int decimals;

    BoundaryValues(long seed) {
        random = new Random(seed);
    }

    /** The next case of the run. */
    Case next(int number) {
        boolean defaultLimits = random.nextInt(4) == 0;
        EventLimits limits = defaultLimits ? EventLimits.defaults() : SMALL;
        clean = random.nextInt(3) != 0;
        BoundaryEvent event = switch (random.nextInt(7)) {
            case 0 -> new Tree(tree(near(limits.maxNestingDepth(), Integer.MAX_VALUE), limits));
            case 1 -> new Tree(names(limits));
            case 2 -> new Tree(sized(limits));
            case 3 -> new Text(text(near(limits.maxStringLength(), CHEAP_LENGTH)));
            case 4 -> new Amount(decimal(limits.maxNumberLength()));
            case 5 -> new Ratio(ratio());
            default -> new Count(count());
        };
        String stream = "case-" + number + "-" + identifier();
        if (random.nextInt(10) != 0) {
            return new Case(number, stream, true, defaultLimits, event);
        }
        char bad = switch (random.nextInt(3)) {
            case 0 -> (char) (0xD800 + random.nextInt(0x400));
            case 1 -> (char) (0xDC00 + random.nextInt(0x400));
            default -> control(true);
        };
        int at = random.nextInt(stream.length() + 1);
        return new Case(number, stream.substring(0, at) + bad + stream.substring(at), false, defaultLimits, event);
    }

    // Sizes ----------------------------------------------------------------------------------------------------------

    /** One under, at or one over {@code limit}, or now and then anything up to it; short if the limit is past reach. */
    private int near(int limit, int reach) {
        if (limit > reach) {
            return random.nextInt(8);
        }
        return random.nextInt(4) == 0 ? random.nextInt(limit + 2) : limit - 1 + random.nextInt(3);
    }

    // Trees ----------------------------------------------------------------------------------------------------------

    /** Lists and maps {@code depth} deep along one spine, with a sibling here and there. */
    private Object tree(int depth, EventLimits limits) {
        Object value = scalar(limits);
        for (int level = 0; level < depth; level++) {
            if (random.nextBoolean()) {
                List<Object> list = new ArrayList<>();
                if (random.nextInt(4) == 0) {
                    list.add(scalar(limits));
                }
                list.add(random.nextInt(list.size() + 1), value);
                value = list;
            } else {
                Map<String, Object> map = new LinkedHashMap<>();
                if (random.nextInt(4) == 0) {
                    map.put(text(near(limits.maxNameLength(), 100)), scalar(limits));
                }
                map.put(text(near(limits.maxNameLength(), 100)), value); // Last: replaces a same-named sibling.
                value = map;
            }
        }
        return value;
    }

    /** One to three properties whose names are around the name limit. */
    private Map<String, Object> names(EventLimits limits) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(3); i >= 0; i--) {
            map.put(text(near(limits.maxNameLength(), CHEAP_LENGTH)), scalar(limits));
        }
        return map;
    }

    private Object scalar(EventLimits limits) {
        if (random.nextBoolean()) {
            return text(near(limits.maxStringLength(), 100));
        }
        return switch (random.nextInt(4)) {
            case 0 -> random.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE;
            case 1 -> random.nextInt();
            default -> random.nextInt(2001) - 1000;
        };
    }

    /**
     * A list of strings whose JSON takes one byte under, exactly or one byte over the event size limit in UTF-8,
     * the data being the event's only JSON. The strings hold letters of one to four bytes, none escaped in JSON,
     * so the size is known without writing it: {@code ["…","…"]} is 3n + 1 bytes around its n strings.
     */
    private List<Object> sized(EventLimits limits) {
        int bytes = limits.maxEventBytes() - 1 + random.nextInt(3);
        int longest = limits.maxStringLength(); // In bytes, so never more characters than allowed.
        int strings = (int) Math.ceil((bytes - 1) / (longest + 3.0));
        int inside = bytes - 1 - 3 * strings;
        List<Object> list = new ArrayList<>(strings);
        for (int i = 0; i < strings; i++) {
            list.add(letters(inside / strings + (i < inside % strings ? 1 : 0)));
        }
        return list;
    }

    private String letters(int bytes) {
        StringBuilder text = new StringBuilder(bytes);
        int left = bytes;
        while (left > 0) {
            int width = 1 + random.nextInt(Math.min(4, left));
            switch (width) {
                case 1 -> text.append((char) ('a' + random.nextInt(26)));
                case 2 -> text.append(hebrew());
                case 3 -> text.append(cjk());
                default -> text.appendCodePoint(emoji());
            }
            left -= width;
        }
        return text.toString();
    }

    // Text -----------------------------------------------------------------------------------------------------------

    /** Exactly {@code length} UTF-16 characters of the mixed alphabet. */
    private String text(int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            String piece = piece();
            text.append(text.length() + piece.length() <= length ? piece : "x");
        }
        return text.toString();
    }

    /** One character or surrogate pair; NUL and lone surrogates only when the case is not clean. */
    private String piece() {
        int roll = random.nextInt(clean ? 16 : 20);
        if (roll < 8) {
            return String.valueOf((char) (' ' + random.nextInt(0x5F)));
        }
        if (roll < 10) {
            return String.valueOf(control(!clean));
        }
        if (roll < 11) {
            return random.nextBoolean() ? "\u2028" : "\uFEFF";
        }
        if (roll < 13) {
            return String.valueOf(random.nextBoolean() ? hebrew() : cjk());
        }
        if (roll < 16) {
            return Character.toString(emoji());
        }
        if (roll < 17) {
            return "\u0000";
        }
        return String.valueOf((char) (roll < 19 ? 0xD800 + random.nextInt(0x400) : 0xDC00 + random.nextInt(0x400)));
    }

    /** A stream id that is well formed: text of the mixed alphabet without control characters. */
    private String identifier() {
        boolean wasClean = clean;
        clean = true;
        StringBuilder id = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            String piece = piece();
            if (!Character.isISOControl(piece.charAt(0))) {
                id.append(piece);
            }
        }
        clean = wasClean;
        return id.toString();
    }

    /** U+0000 to U+001F or U+007F to U+009F; NUL only if {@code withNul}. */
    private char control(boolean withNul) {
        int index = withNul ? random.nextInt(65) : 1 + random.nextInt(64);
        return (char) (index < 32 ? index : 0x7F + index - 32);
    }

    private char hebrew() {
        return (char) (0x05D0 + random.nextInt(27));
    }

    private char cjk() {
        return (char) (0x4E00 + random.nextInt(0x5200));
    }

    private int emoji() {
        return 0x1F300 + random.nextInt(0x700);
    }

    // Numbers --------------------------------------------------------------------------------------------------------

    /**
     * A decimal whose length written out in full is around {@code limit}: digits and scale each drawn near the
     * limit, as an integer, as {@code 0.000ddd} or with the point among the digits; or with a negative scale, or an
     * exponent of a million either way; positive or negative, and now and then zero at some scale.
     */
    private BigDecimal decimal(int limit) {
        if (decimals < EDGE_DECIMALS.length) {
            return EDGE_DECIMALS[decimals++];
        }
        int digits = Math.max(1, switch (random.nextInt(4)) {
            case 0 -> 1 + random.nextInt(3);
            case 1 -> 1 + random.nextInt(limit + 1);
            default -> limit - 2 + random.nextInt(4);
        });
        int scale = switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 1 + random.nextInt(digits);
            case 2 -> limit - 3 + random.nextInt(3);
            case 3 -> -1 - random.nextInt(3);
            case 4 -> random.nextBoolean() ? 999_999 : -999_999;
            default -> random.nextInt(limit + 3);
        };
        StringBuilder unscaled = new StringBuilder().append(random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(9));
        while (unscaled.charAt(0) != '0' && unscaled.length() < digits) {
            unscaled.append(random.nextInt(10));
        }
        BigDecimal value = new BigDecimal(new BigInteger(unscaled.toString()), scale);
        return random.nextBoolean() ? value.negate() : value;
    }

    /** Every kind of double: the edges first, then any bit pattern, subnormals and everyday magnitudes. */
    private double ratio() {
        if (doubles < EDGE_DOUBLES.length) {
            return EDGE_DOUBLES[doubles++];
        }
        return switch (random.nextInt(4)) {
            case 0 -> EDGE_DOUBLES[random.nextInt(EDGE_DOUBLES.length)];
            case 1 -> Double.longBitsToDouble(random.nextLong());
            case 2 -> Double.longBitsToDouble(random.nextLong() & 0x800F_FFFF_FFFF_FFFFL);
            default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(13) - 6);
        };
    }

    private long count() {
        if (longs < EDGE_LONGS.length) {
            return EDGE_LONGS[longs++];
        }
        return random.nextBoolean() ? random.nextLong() : random.nextInt(2001) - 1000;
    }

    // Describing -----------------------------------------------------------------------------------------------------

    /** The event in a few words and an excerpt, every character outside printable ASCII escaped. */
    static String describe(BoundaryEvent event) {
        return switch (event) {
            case Tree tree -> "Tree " + shape(tree.data()) + " " + excerpt(tree.data());
            case Text text -> "Text of " + text.data().length() + " chars " + quote(text.data());
            case Amount amount -> "Amount " + show(amount.data());
            case Ratio ratio -> "Ratio " + show(ratio.data());
            case Count count -> "Count " + count.data();
        };
    }

    /**
     * Where {@code read} first differs from {@code written}, e.g. {@code data.k[1] at index 3: wrote U+D800, read
     * U+003F}; {@code null} if nowhere.
     */
    static @Nullable String difference(BoundaryEvent written, BoundaryEvent read) {
        if (written.getClass() != read.getClass()) {
            return "wrote " + describe(written) + ", read " + describe(read);
        }
        return difference("data", data(written), data(read));
    }

    private static Object data(BoundaryEvent event) {
        return switch (event) {
            case Tree tree -> tree.data();
            case Text text -> text.data();
            case Amount amount -> amount.data();
            case Ratio ratio -> ratio.data();
            case Count count -> count.data();
        };
    }

    private static @Nullable String difference(String path, Object written, Object read) {
        if (written.equals(read)) {
            return null;
        }
        if (written instanceof Map<?, ?> was && read instanceof Map<?, ?> is) {
            if (!was.keySet().equals(is.keySet())) {
                return path + ": wrote properties " + names(was) + ", read " + names(is);
            }
            for (Object key : was.keySet()) {
                String found = difference(path + "." + quote((String) key), was.get(key), is.get(key));
                if (found != null) {
                    return found;
                }
            }
        }
        if (written instanceof List<?> was && read instanceof List<?> is) {
            if (was.size() != is.size()) {
                return path + ": wrote " + was.size() + " items, read " + is.size();
            }
            for (int i = 0; i < was.size(); i++) {
                String found = difference(path + "[" + i + "]", was.get(i), is.get(i));
                if (found != null) {
                    return found;
                }
            }
        }
        if (written instanceof String was && read instanceof String is) {
            int at = 0;
            while (at < was.length() && at < is.length() && was.charAt(at) == is.charAt(at)) {
                at++;
            }
            return path + " at index " + at + ": wrote " + charAt(was, at) + ", read " + charAt(is, at);
        }
        return path + ": wrote " + show(written) + ", read " + show(read);
    }

    private static String names(Map<?, ?> map) {
        return map.keySet().stream().map(key -> quote((String) key)).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String charAt(String text, int index) {
        return index < text.length() ? String.format("U+%04X", (int) text.charAt(index)) : "the end";
    }

    private static String show(Object value) {
        return switch (value) {
            case String text -> quote(text);
            case BigDecimal decimal -> (decimal.toString().length() <= EXCERPT ? decimal.toString()
                    : decimal.toString().substring(0, EXCERPT) + "…") + " (" + decimal.precision() + " digits, scale "
                    + decimal.scale() + ")";
            case Double number -> number + " (bits 0x" + Long.toHexString(Double.doubleToRawLongBits(number)) + ")";
            case Map<?, ?> map -> "a map " + excerpt(map);
            case List<?> list -> "a list " + excerpt(list);
            default -> value + " (" + value.getClass().getSimpleName() + ")";
        };
    }

    /** Depth and longest name and string of a tree. */
    private static String shape(Object tree) {
        int[] most = new int[3];
        measure(tree, 0, most);
        return "(depth " + most[0] + ", longest name " + most[1] + ", longest string " + most[2] + ")";
    }

    private static void measure(Object value, int depth, int[] most) {
        if (value instanceof Map<?, ?> map) {
            most[0] = Math.max(most[0], depth + 1);
            map.forEach((name, inner) -> {
                most[1] = Math.max(most[1], ((String) name).length());
                measure(inner, depth + 1, most);
            });
        } else if (value instanceof List<?> list) {
            most[0] = Math.max(most[0], depth + 1);
            list.forEach(inner -> measure(inner, depth + 1, most));
        } else if (value instanceof String text) {
            most[2] = Math.max(most[2], text.length());
        }
    }

    private static String excerpt(Object tree) {
        StringBuilder out = new StringBuilder();
        render(tree, out);
        return out.length() <= EXCERPT ? out.toString() : out.substring(0, EXCERPT) + "…";
    }

    private static void render(Object value, StringBuilder out) {
        if (out.length() > EXCERPT) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            String separator = "{";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(separator).append(quote((String) entry.getKey())).append(':');
                render(entry.getValue(), out);
                separator = ",";
            }
            out.append(map.isEmpty() ? "{}" : "}");
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                render(list.get(i), out);
            }
            out.append(']');
        } else {
            out.append(value instanceof String text ? quote(text) : value);
        }
    }

    /**
     * The text in quotes, cut after a few characters, everything outside printable ASCII as a Java escape such as
     * {@code \\u00e9}.
     */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < Math.min(text.length(), QUOTED); i++) {
            char c = text.charAt(i);
            out.append(c >= ' ' && c < 0x7F && c != '"' && c != '\\' ? String.valueOf(c)
                    : String.format("\\u%04X", (int) c));
        }
        return out.append(text.length() > QUOTED ? "…\"" : "\"").toString();
    }
}
