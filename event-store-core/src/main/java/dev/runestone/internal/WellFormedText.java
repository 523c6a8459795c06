package dev.runestone.internal;

import org.jspecify.annotations.Nullable;

/**
 * Whether text survives a trip through UTF-8 and both databases unchanged. A lone UTF-16 surrogate has no UTF-8
 * form (drivers write {@code ?} instead, so two different strings would become one), and PostgreSQL refuses
 * U+0000 in text and {@code jsonb}.
 */
public final class WellFormedText {

    private WellFormedText() {
    }

    /**
     * What keeps {@code text} from being stored unchanged, as a phrase to end "holds …" with, or {@code null} if
     * nothing does.
     */
    public static @Nullable String problem(CharSequence text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "U+0000 at index " + i + ", which PostgreSQL cannot store";
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("a lone UTF-16 surrogate U+%04X at index %d, which UTF-8 cannot encode (it "
                        + "would be stored as '?')", (int) c, i);
            }
        }
        return null;
    }

    /**
     * Checks an identifier such as a stream id: not blank, at most {@code longest} characters, no control
     * characters, well-formed Unicode.
     *
     * @param what names the identifier in the message, e.g. {@code Stream id}
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String requireIdentifier(String what, String value, int longest) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (value.length() > longest) {
            throw new IllegalArgumentException(what + " '" + printable(value.substring(0, 40)) + "…' is "
                    + value.length() + " characters long; at most " + longest + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(what + " '" + printable(value)
                        + "' holds control characters; use printable characters only");
            }
        }
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(what + " '" + printable(value) + "' holds " + problem);
        }
        return value;
    }

    /** The text with control characters and lone surrogates shown as {@code ?}, safe to put in a message. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
            }
        }
        return out.toString();
    }
}
