package dev.runestone.codegen;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the problems of every config so that all of them are reported at once, ordered by file and then by where
 * they are in the file. Not thread-safe.
 */
final class Problems {

    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<Path, String> texts = new HashMap<>();

    void add(Path file, String pointer, String message) {
        problems.add(new ConfigProblem(file, pointer, message));
    }

    /** Registers a file's text, so that its problems can be put in the order they appear in it. */
    void source(Path file, String text) {
        texts.put(file, text);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    int size() {
        return problems.size();
    }

    /** Throws every collected problem, if there is any. */
    void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        Map<Path, Map<String, Long>> offsets = new HashMap<>();
        Comparator<ConfigProblem> byPlace = Comparator.comparingLong(problem -> offset(
                offsets.computeIfAbsent(problem.file(), file -> offsets(texts.get(file))), problem.pointer()));
        List<ConfigProblem> ordered = new ArrayList<>(problems);
        ordered.sort(Comparator.comparing((ConfigProblem problem) -> problem.file().toString()).thenComparing(byPlace));
        throw new EventConfigException(ordered);
    }

    /** Escapes a property name for use as one step of a JSON pointer (RFC 6901). */
    static String step(String name) {
        return "/" + name.replace("~", "~0").replace("/", "~1");
    }

    /** Where a pointer, or the nearest enclosing value that is in the file, starts. */
    private static long offset(Map<String, Long> offsets, String pointer) {
        for (String at = pointer; ; at = at.substring(0, at.lastIndexOf('/'))) {
            Long offset = offsets.get(at);
            if (offset != null) {
                return offset;
            }
            if (at.isEmpty()) {
                return 0;
            }
        }
    }

    /** The character offset of every pointer in a JSON text, read as far as the text is well-formed. */
    private static Map<String, Long> offsets(String text) {
        Map<String, Long> offsets = new HashMap<>();
        if (text == null) {
            return offsets;
        }
        try (JsonParser parser = ConfigReader.MAPPER.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                offsets.putIfAbsent(parser.getParsingContext().pathAsPointer().toString(),
                        parser.currentTokenLocation().getCharOffset());
            }
        } catch (IOException e) {
            // A malformed file has a single problem; the offsets read so far are all there is to order.
        }
        return offsets;
    }
}
