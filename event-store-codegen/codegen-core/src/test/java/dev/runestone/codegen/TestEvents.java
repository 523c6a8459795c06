package dev.runestone.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The test configs under {@code src/test/resources/events} and what they generate. */
final class TestEvents {

    static final String PACKAGE = "com.example.events";
    static final String INTERFACE = "UserEvent";

    private TestEvents() {
    }

    /** A folder of test resources, as copied to the test classpath. */
    static Path resource(String name) {
        try {
            return Path.of(TestEvents.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static GeneratedSources generate() {
        return EventCodeGenerator.builder()
                .input(resource("events"))
                .packageName(PACKAGE)
                .interfaceName(INTERFACE)
                .build()
                .generate();
    }

    /** The generated files, by qualified name. */
    static Map<String, String> sources(GeneratedSources generated) {
        Map<String, String> sources = new LinkedHashMap<>();
        generated.files().forEach(file -> sources.put(file.qualifiedName(), file.content()));
        return sources;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
