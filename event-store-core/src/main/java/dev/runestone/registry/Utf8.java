package dev.runestone.registry;

import org.jspecify.annotations.Nullable;

/** UTF-8 sizes, counted without encoding: every appended event is measured. */
final class Utf8 {

    private Utf8() {
    }

    /** The bytes {@code text} takes in UTF-8, a character outside a surrogate pair counted as three; 0 for null. */
    static long length(@Nullable String text) {
        if (text == null) {
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
