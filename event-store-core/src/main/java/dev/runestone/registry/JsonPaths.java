package dev.runestone.registry;

import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * Dotted paths such as {@code data.name.given} and {@code data.tags[2]}, from where a Jackson parser or generator
 * stands: the form every {@link dev.runestone.EventValidationException.Violation} uses, so an error found while
 * writing, while reading or by a record's own checks names a place the same way.
 */
final class JsonPaths {

    /** Property names longer than this are cut in paths: a path must stay readable in a log line. */
    private static final int LONGEST_NAME = 40;

    private JsonPaths() {
    }

    /** The path of the value {@code context} stands at, below {@code root} ({@code data} or {@code meta}). */
    static String of(String root, @Nullable JsonStreamContext context) {
        Deque<JsonStreamContext> chain = new ArrayDeque<>();
        for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            chain.push(at);
        }
        StringBuilder path = new StringBuilder(root);
        for (JsonStreamContext at : chain) {
            if (at.inObject() && at.hasCurrentName()) {
                path.append('.').append(shorten(at.getCurrentName()));
            } else if (at.inArray() && at.hasCurrentIndex()) {
                path.append('[').append(at.getCurrentIndex()).append(']');
            }
        }
        return path.toString();
    }

    static String shorten(String name) {
        if (name.length() <= LONGEST_NAME) {
            return name;
        }
        int end = Character.isHighSurrogate(name.charAt(LONGEST_NAME - 1)) ? LONGEST_NAME - 1 : LONGEST_NAME;
        return name.substring(0, end) + "…";
    }
}
