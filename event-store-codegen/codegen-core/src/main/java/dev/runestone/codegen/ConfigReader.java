package dev.runestone.codegen;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Finds config files, parses them, and splits them into events. */
final class ConfigReader {

    /** Numbers are kept exactly as written, and a key written twice is an error rather than a silent overwrite. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Two-space indents and {@code "key": value}, the way JSON Schemas are usually written. */
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));

    private final Problems problems;

    ConfigReader(Problems problems) {
        this.problems = problems;
    }

    /**
     * Reads every {@code .json} file below each input folder, and each input file, in a stable order.
     *
     * @param lockFile the lock, which may sit among the configs and is not one of them; {@code null} if there is none
     */
    List<ConfigFile> read(List<Path> inputs, @Nullable Path lockFile) {
        List<ConfigFile> files = new ArrayList<>();
        Path lock = lockFile == null ? null : lockFile.toAbsolutePath().normalize();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                for (Path file : jsonFilesBelow(input)) {
                    if (file.toAbsolutePath().normalize().equals(lock)) {
                        continue;
                    }
                    readFile(file, input.relativize(file).toString().replace('\\', '/')).ifPresent(files::add);
                }
            } else if (Files.isRegularFile(input)) {
                readFile(input, input.getFileName().toString()).ifPresent(files::add);
            } else {
                problems.add(input, "", "no such file or folder");
            }
        }
        return files;
    }

    private static List<Path> jsonFilesBelow(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(path -> path.getFileName().toString().endsWith(".json"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the event configs in " + folder, e);
        }
    }

    /** Reads one file as UTF-8 text; reports a file that is not. */
    Optional<ConfigFile> readFile(Path file, String name) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            return Optional.of(new ConfigFile(file, name, text));
        } catch (CharacterCodingException e) {
            problems.add(file, "", "is not UTF-8 text");
        } catch (IOException e) {
            problems.add(file, "", "cannot be read: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Parses a config and returns its events; reports a malformed file or an unexpected shape. */
    List<EventSource> events(ConfigFile file) {
        problems.source(file.path(), file.text());
        JsonNode root;
        try {
            root = MAPPER.readTree(file.text());
        } catch (JsonProcessingException e) {
            problems.add(file.path(), pointerOf(e), "malformed JSON" + where(e.getLocation()) + ": "
                    + e.getOriginalMessage());
            return List.of();
        }
        if (root == null || root.isMissingNode()) {
            problems.add(file.path(), "", "is empty; a config holds {\"event\": {...}} or {\"events\": [...]}");
            return List.of();
        }
        if (!(root instanceof ObjectNode object)) {
            problems.add(file.path(), "", "must be a JSON object holding \"event\" or \"events\"");
            return List.of();
        }
        if (loneSurrogates(file.path(), object, "", "write the whole character, or leave it out", problems)) {
            return List.of();
        }
        if (object.has(Lock.FORMAT_KEY)) {
            problems.add(file.path(), "", "is a Runestone lock file, not an event config; set the generator's lock "
                    + "file to it, or move it out of the config folders");
            return List.of();
        }
        List<EventSource> events = new ArrayList<>();
        boolean found = false;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode value = object.get(name);
            switch (name) {
                case "event" -> {
                    found = true;
                    if (value instanceof ObjectNode event) {
                        events.add(new EventSource(file, "/event", event));
                    } else {
                        problems.add(file.path(), "/event", "must be an object describing one event");
                    }
                }
                case "events" -> {
                    found = true;
                    if (!value.isArray()) {
                        problems.add(file.path(), "/events", "must be an array of event objects");
                    } else if (value.isEmpty()) {
                        problems.add(file.path(), "/events", "is empty; list at least one event");
                    } else {
                        for (int i = 0; i < value.size(); i++) {
                            if (value.get(i) instanceof ObjectNode event) {
                                events.add(new EventSource(file, "/events/" + i, event));
                            } else {
                                problems.add(file.path(), "/events/" + i, "must be an object describing one event");
                            }
                        }
                    }
                }
                default -> problems.add(file.path(), Problems.step(name), "unknown key \"" + name
                        + "\"; a config holds \"event\" or \"events\"");
            }
        }
        if (object.has("event") && object.has("events")) {
            problems.add(file.path(), "", "holds both \"event\" and \"events\"; use one");
        } else if (!found) {
            problems.add(file.path(), "", "holds neither \"event\" nor \"events\"");
        }
        return events;
    }

    /**
     * Reports every string in a JSON tree that holds a lone surrogate: JSON can escape half of a surrogate pair on its
     * own, but UTF-8 cannot encode it, so neither a generated source nor the lock could hold the string. (Jackson
     * already refuses a property name with one.)
     *
     * @param fix what to do about each
     * @return whether there was any
     */
    static boolean loneSurrogates(Path file, JsonNode node, String at, String fix, Problems problems) {
        if (node.isTextual()) {
            if (StandardCharsets.UTF_8.newEncoder().canEncode(node.textValue())) {
                return false;
            }
            problems.add(file, at, "holds a lone surrogate, which JSON can escape (\\ud800) but UTF-8 cannot "
                    + "encode; " + fix);
            return true;
        }
        boolean found = false;
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                found |= loneSurrogates(file, field.getValue(), at + Problems.step(field.getKey()), fix, problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                found |= loneSurrogates(file, node.get(i), at + "/" + i, fix, problems);
            }
        }
        return found;
    }

    /**
     * A JSON tree as the generator writes JSON: two-space indents, {@code "key": value}, {@code \n} line ends and a
     * final newline.
     */
    static String write(JsonNode tree) {
        try {
            return MAPPER.writer(PRINTER).writeValueAsString(tree).replace("\r\n", "\n") + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree cannot fail to be written", e);
        }
    }

    static String pointerOf(JsonProcessingException e) {
        if (e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null) {
            return parser.getParsingContext().pathAsPointer().toString();
        }
        return "";
    }

    static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
