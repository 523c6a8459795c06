package dev.runestone.test;

import static org.assertj.core.presentation.StandardRepresentation.STANDARD_REPRESENTATION;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.recursive.comparison.ComparisonDifference;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonDifferenceCalculator;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

/**
 * Compares what the code under test produced with what the test expected, field by field with AssertJ's recursive
 * comparison (records, nested records, collections; {@code equals} only for JDK types), and words a mismatch as one
 * line per field that differs, then both values in full. The failures it throws carry both sides as text, which IDEs
 * show side by side.
 */
final class StructuralDiff {

    private StructuralDiff() {
    }

    /**
     * Fails unless {@code recorded} holds events equal to {@code expected}, in order.
     *
     * @param subject what recorded the events, e.g. {@code User on stream 'user-1'}
     */
    static void assertEvents(String subject, List<?> expected, List<?> recorded) {
        List<String> findings = new ArrayList<>();
        int common = Math.min(expected.size(), recorded.size());
        for (int i = 0; i < common; i++) {
            Object wanted = expected.get(i);
            Object got = recorded.get(i);
            if (!sameType(wanted, got)) {
                findings.add("event " + (i + 1) + " is " + article(got) + " where " + article(wanted)
                        + " was expected");
                continue;
            }
            List<String> differences = differences(wanted, got);
            if (!differences.isEmpty()) {
                findings.add("event " + (i + 1) + " differs:");
                differences.forEach(difference -> findings.add("  " + difference));
            }
        }
        for (int i = common; i < expected.size(); i++) {
            findings.add("event " + (i + 1) + " is missing: " + show(expected.get(i)));
        }
        for (int i = common; i < recorded.size(); i++) {
            findings.add("event " + (i + 1) + " was not expected: " + show(recorded.get(i)));
        }
        if (findings.isEmpty()) {
            return;
        }
        String header = expected.size() == recorded.size()
                ? subject + " recorded other events than expected:"
                : subject + " recorded " + count(recorded.size()) + " where " + expectedCount(expected.size())
                        + ":";
        String expectedList = numbered(expected);
        String recordedList = numbered(recorded);
        throw new AssertionFailedError(header + "\n" + String.join("\n", findings) + "\nexpected:\n" + expectedList
                + "\nrecorded:\n" + recordedList, expectedList, recordedList);
    }

    /**
     * Fails unless {@code actual} equals {@code expected} field by field.
     *
     * @param header      the first line of the failure, saying what differs from what
     * @param actualLabel what {@code actual} is, e.g. {@code folded}
     */
    static void assertValue(String header, String actualLabel, Object expected, Object actual) {
        List<String> differences = sameType(expected, actual)
                ? differences(expected, actual)
                : List.of(article(actual) + " where " + article(expected) + " was expected");
        if (differences.isEmpty()) {
            return;
        }
        int width = Math.max(actualLabel.length(), "expected".length()) + 2;
        throw new AssertionFailedError(header + "\n  " + String.join("\n  ", differences) + "\n"
                + String.format("%-" + width + "s", "expected:") + show(expected) + "\n"
                + String.format("%-" + width + "s", actualLabel + ":") + show(actual), expected, actual);
    }

    /** One line per field that differs, {@code path: expected … but was …}; empty when the two are equal. */
    private static List<String> differences(Object expected, Object actual) {
        RecursiveComparisonConfiguration configuration = new RecursiveComparisonConfiguration();
        configuration.strictTypeChecking(true);
        List<String> lines = new ArrayList<>();
        for (ComparisonDifference difference : new RecursiveComparisonDifferenceCalculator()
                .determineDifferences(actual, expected, configuration)) {
            String path = difference.getConcatenatedPath();
            lines.add((path.isEmpty() ? "the value" : path) + ": expected " + show(difference.getExpected())
                    + " but was " + show(difference.getActual()));
        }
        return lines;
    }

    private static boolean sameType(Object expected, Object actual) {
        return expected.getClass().equals(actual.getClass());
    }

    private static String article(Object value) {
        Class<?> type = value.getClass();
        String name = type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
        return ("AEIOU".indexOf(Character.toUpperCase(name.charAt(0))) >= 0 ? "an " : "a ") + name;
    }

    static String show(@Nullable Object value) {
        return STANDARD_REPRESENTATION.toStringOf(value);
    }

    static String count(int events) {
        return events == 0 ? "no events" : events == 1 ? "1 event" : events + " events";
    }

    private static String expectedCount(int events) {
        return events == 0 ? "none were expected" : events == 1 ? "1 was expected" : events + " were expected";
    }

    /** The events one per line, numbered from 1, or {@code (none)}. */
    static String numbered(List<?> events) {
        if (events.isEmpty()) {
            return "  (none)";
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            lines.add("  " + (i + 1) + ". " + show(events.get(i)));
        }
        return String.join("\n", lines);
    }
}
