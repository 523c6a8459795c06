package dev.runestone.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The test configs under {@code src/test/resources/events} and what they generate, and the versioned scenario under
 * {@code src/test/resources/versioned}: the configs of one project at three points in its history.
 */
final class TestEvents {

    static final String PACKAGE = "com.example.events";
    static final String INTERFACE = "UserEvent";

    static final String ACCOUNTS_PACKAGE = "com.example.accounts";
    static final String ACCOUNTS_INTERFACE = "AccountEvent";

    /**
     * The versioned scenario's three builds: {@code account:opened} goes to version 2 and then 3,
     * {@code account:renamed} to version 2, {@code account:closed} changes compatibly, {@code account:frozen} retires.
     */
    static final int ACCOUNT_STAGES = 3;

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

    /**
     * Builds the versioned scenario in {@code folder} as a project's builds would, writing the lock after each stage,
     * and returns what the last build generated.
     */
    static GeneratedSources generateAccounts(Path folder) {
        GeneratedSources generated = null;
        for (int stage = 1; stage <= ACCOUNT_STAGES; stage++) {
            generated = generateAccounts(folder, stage);
            try {
                generated.lock().write();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return generated;
    }

    /** One build of the versioned scenario: the configs of {@code stage} against the lock in {@code folder}. */
    static GeneratedSources generateAccounts(Path folder, int stage) {
        try {
            Files.createDirectories(folder);
            Files.copy(resource("versioned/" + stage + "/accounts.json"), folder.resolve("accounts.json"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return EventCodeGenerator.builder()
                .input(folder)
                .packageName(ACCOUNTS_PACKAGE)
                .interfaceName(ACCOUNTS_INTERFACE)
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
