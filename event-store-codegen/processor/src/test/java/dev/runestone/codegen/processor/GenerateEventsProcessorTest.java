package dev.runestone.codegen.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.runestone.EventValidationException;
import dev.runestone.registry.EventRegistry;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs javac in process on a small project whose package-info carries {@link GenerateEvents}. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GenerateEventsProcessorTest {

    private static final String USER_CREATED = """
            {
              "event": {
                "type": "user:created",
                "data": {
                  "name": {"type": "object", "properties": {"given": {"type": "string"}, "family": {"type": "string"}}},
                  "email": {"type": "string"}
                },
                "meta": {"auditor": {"type": "string"}}
              }
            }
            """;

    private static final String USER_EMAIL_SET = """
            {"event": {"type": "user:email-set", "data": {"type": "string", "format": "email"},
                       "meta": {"auditor": {"type": "string"}}}}
            """;

    private static final String PACKAGE_INFO = """
            @GenerateEvents(interfaceName = "UserEvent")
            package com.example.events;

            import dev.runestone.codegen.processor.GenerateEvents;
            """;

    private static final String APP = """
            package com.example.app;

            import com.example.events.UserCreated;
            import com.example.events.UserEmailSet;
            import com.example.events.UserEvent;
            import dev.runestone.registry.EventRegistry.EncodedEvent;

            public final class App {

                private App() {
                }

                public static String describe(UserEvent event) {
                    return switch (event) {
                        case UserCreated created -> created.data().name().given();
                        case UserEmailSet set -> set.data();
                    };
                }

                public static boolean roundTrips() {
                    UserEvent event = new UserCreated(new UserCreated.Data(new UserCreated.Data.Name("Jane", "Doe"),
                            "jane@example.com"), new UserCreated.Meta("admin"));
                    EncodedEvent encoded = UserEvent.registry().encode(event);
                    return UserEvent.registry().decode(encoded.type(), encoded).equals(event);
                }

                public static UserEmailSet emailSet(String email) {
                    return new UserEmailSet(email, new UserEmailSet.Meta("jane"));
                }
            }
            """;

    @TempDir
    Path project;

    @Test
    void generates_the_events_that_the_rest_of_the_code_compiles_against() throws Exception {
        write("src/main/events/user-created.json", USER_CREATED);
        write("src/main/events/user-email-set.json", USER_EMAIL_SET);
        write("src/main/java/com/example/events/package-info.java", PACKAGE_INFO);
        write("src/main/java/com/example/app/App.java", APP);

        Compilation compilation = compile();

        assertThat(compilation.errors()).isEmpty();
        assertThat(compilation.warnings()).isEmpty();
        assertThat(project.resolve("generated/com/example/events/UserCreated.java")).exists();
        assertThat(project.resolve("generated/com/example/events/UserEvent.java")).exists();
        Class<?> app = compilation.load("com.example.app.App");
        assertThat(app.getMethod("roundTrips").invoke(null)).isEqualTo(true);
        assertThat(app.getMethod("describe", compilation.load("com.example.events.UserEvent"))
                .invoke(null, app.getMethod("emailSet", String.class).invoke(null, "jane@example.com")))
                .isEqualTo("jane@example.com");
        assertThat(app.getMethod("emailSet", String.class)).satisfies(method -> {
            try {
                method.invoke(null, "not an email");
                throw new AssertionError("expected the record to refuse the email");
            } catch (java.lang.reflect.InvocationTargetException e) {
                assertThat(e.getCause()).isInstanceOf(EventValidationException.class)
                        .hasMessage("user:email-set is invalid: data: must be an email address (format)");
            }
        });
    }

    @Test
    void reports_each_problem_of_the_configs_as_a_compiler_error() throws Exception {
        write("src/main/events/user-created.json", """
                {"event": {"type": "user:created", "data": {"name": {"$ref": "#/name"}, "first-name": {"type": "string"}}}}
                """);
        write("src/main/java/com/example/events/package-info.java", PACKAGE_INFO);

        Compilation compilation = compile();

        assertThat(compilation.errors()).hasSize(2).anySatisfy(error -> assertThat(error)
                        .contains("user-created.json#/event/data/name/$ref: \"$ref\" is not supported"))
                .anySatisfy(error -> assertThat(error)
                        .contains("user-created.json#/event/data/first-name: the property name \"first-name\" is not "
                                + "a usable Java name"));
    }

    @Test
    void says_where_it_looked_when_the_configs_are_not_found() throws Exception {
        write("src/main/java/com/example/events/package-info.java", PACKAGE_INFO);

        Compilation compilation = compile();

        assertThat(compilation.errors()).singleElement().asString()
                .contains("Cannot find the event configs \"src/main/events\"")
                .contains("-Arunestone.basedir=");
    }

    @Test
    void resolves_relative_configs_against_the_basedir_option() throws Exception {
        write("configs/events/user-created.json", USER_CREATED);
        write("src/main/java/com/example/events/package-info.java", """
                @GenerateEvents(interfaceName = "AccountEvent", packageName = "com.example.accounts",
                        configs = "events")
                package com.example.events;

                import dev.runestone.codegen.processor.GenerateEvents;
                """);

        Compilation compilation = compile("-Arunestone.basedir=" + project.resolve("configs"));

        assertThat(compilation.errors()).isEmpty();
        assertThat(project.resolve("generated/com/example/accounts/AccountEvent.java")).exists();
    }

    @Test
    void writes_the_lock_beside_the_configs_with_a_note_per_change() throws Exception {
        write("src/main/events/user-created.json", USER_CREATED);
        write("src/main/events/user-email-set.json", USER_EMAIL_SET);
        write("src/main/java/com/example/events/package-info.java", PACKAGE_INFO);
        Path lock = project.resolve("src/main/events/runestone.lock.json");

        Compilation first = compile();
        Compilation second = compile();

        assertThat(first.errors()).isEmpty();
        assertThat(lock).exists();
        assertThat(first.notes()).containsExactly(
                "Updated " + lock + ": " + project.resolve("src/main/events/user-created.json") + "#/event: "
                        + "\"user:created\" version 1 [type-added]: adds the event type",
                "Updated " + lock + ": " + project.resolve("src/main/events/user-email-set.json") + "#/event: "
                        + "\"user:email-set\" version 1 [type-added]: adds the event type");
        assertThat(second.errors()).isEmpty();
        assertThat(second.notes()).isEmpty();
    }

    @Test
    void a_breaking_change_is_a_compiler_error_naming_the_file_pointer_rule_and_fix() throws Exception {
        write("src/main/events/user-created.json", USER_CREATED);
        write("src/main/java/com/example/events/package-info.java", PACKAGE_INFO);
        compile();
        write("src/main/events/user-created.json",
                USER_CREATED.replace(",\n      \"email\": {\"type\": \"string\"}", ""));

        Compilation compilation = compile();

        assertThat(compilation.errors()).containsExactly(project.resolve("src/main/events/user-created.json")
                + "#/event/data/email: breaking change to \"user:created\" version 1 [property-removed]: removes the "
                + "property \"email\", which events stored at version 1 may hold; bump \"version\" to 2 and "
                + "implement UserCreatedUpcaster.fromV1");
    }

    @Test
    void a_new_version_does_not_compile_until_its_upcaster_step_is_written() throws Exception {
        write("src/main/events/user-created.json", USER_CREATED);
        write("src/main/java/com/example/events/package-info.java", PACKAGE_INFO);
        compile();
        write("src/main/events/user-created.json", """
                {"event": {"type": "user:created", "version": 2,
                           "data": {"name": {"type": "string"}, "email": {"type": "string"}},
                           "meta": {"auditor": {"type": "string"}}}}
                """);
        write("src/main/java/com/example/app/Upcasters.java", """
                package com.example.app;

                import com.example.events.UserEventUpcasters;

                public final class Upcasters implements UserEventUpcasters {
                }
                """);

        Compilation missing = compile();

        assertThat(missing.errors()).singleElement().asString().isEqualTo("com.example.app.Upcasters is not "
                + "abstract and does not override abstract method fromV1(com.example.events.versions.UserCreatedV1) "
                + "in com.example.events.UserCreatedUpcaster");

        write("src/main/java/com/example/app/Upcasters.java", """
                package com.example.app;

                import com.example.events.UserCreated;
                import com.example.events.UserEvent;
                import com.example.events.UserEventUpcasters;
                import com.example.events.versions.UserCreatedV1;
                import dev.runestone.registry.EventRegistry.EncodedEvent;

                public final class Upcasters implements UserEventUpcasters {

                    @Override
                    public UserCreated fromV1(UserCreatedV1 event) {
                        UserCreatedV1.Data.Name name = event.data().name();
                        return new UserCreated(new UserCreated.Data(name.given() + " " + name.family(),
                                event.data().email()), new UserCreated.Meta(event.meta().auditor()));
                    }

                    public static String nameOfVersion1() {
                        return ((UserCreated) UserEvent.registry(new Upcasters()).decode("user:created",
                                new EncodedEvent("user:created", 1, "{\\"name\\":{\\"given\\":\\"Jane\\","
                                        + "\\"family\\":\\"Doe\\"},\\"email\\":\\"jane@example.com\\"}",
                                        "{\\"auditor\\":\\"admin\\"}"))).data().name();
                    }
                }
                """);

        Compilation complete = compile();

        assertThat(complete.errors()).isEmpty();
        assertThat(complete.warnings()).isEmpty();
        assertThat(project.resolve("generated/com/example/events/versions/UserCreatedV1.java")).exists();
        assertThat(complete.load("com.example.app.Upcasters").getMethod("nameOfVersion1").invoke(null))
                .isEqualTo("Jane Doe");
    }

    @Test
    void without_writing_the_lock_as_under_ci_a_lock_that_is_not_up_to_date_is_an_error() throws Exception {
        write("src/main/events/user-created.json", USER_CREATED);
        write("src/main/java/com/example/events/package-info.java", PACKAGE_INFO);
        compile();
        Path lock = project.resolve("src/main/events/runestone.lock.json");
        String locked = Files.readString(lock);
        write("src/main/events/user-email-set.json", USER_EMAIL_SET);

        Compilation compilation = compile("-Arunestone.updateLock=false");

        assertThat(compilation.errors()).containsExactly(
                lock + " is not up to date: " + project.resolve("src/main/events/user-email-set.json") + "#/event: "
                        + "\"user:email-set\" version 1 [type-added]: adds the event type",
                "Build outside CI, or with -Arunestone.updateLock=true, and commit " + lock);
        assertThat(lock).hasContent(locked);
    }

    @Test
    void an_update_lock_option_that_is_neither_true_nor_false_is_an_error_not_a_silent_false() throws Exception {
        write("src/main/events/user-created.json", USER_CREATED);
        write("src/main/java/com/example/events/package-info.java", PACKAGE_INFO);

        Compilation compilation = compile("-Arunestone.updateLock=yes");

        assertThat(compilation.errors()).containsExactly("-Arunestone.updateLock=yes is neither true nor false; pass "
                + "-Arunestone.updateLock=true to write the lock, or false to only check it");
        assertThat(project.resolve("src/main/events/runestone.lock.json")).doesNotExist();
    }

    @Test
    void the_lock_file_may_be_set_relative_to_the_folder_the_configs_were_found_from() throws Exception {
        write("src/main/events/user-created.json", USER_CREATED);
        write("src/main/java/com/example/events/package-info.java", """
                @GenerateEvents(interfaceName = "UserEvent", lockFile = "src/main/resources/events.lock.json")
                package com.example.events;

                import dev.runestone.codegen.processor.GenerateEvents;
                """);

        Compilation compilation = compile();

        assertThat(compilation.errors()).isEmpty();
        assertThat(project.resolve("src/main/resources/events.lock.json")).exists();
        assertThat(project.resolve("src/main/events/runestone.lock.json")).doesNotExist();
    }

    @Test
    void is_registered_for_discovery_by_javac() throws IOException {
        try (InputStream services = GenerateEventsProcessor.class.getResourceAsStream(
                "/META-INF/services/javax.annotation.processing.Processor")) {
            assertThat(services).isNotNull();
            assertThat(new String(services.readAllBytes(), StandardCharsets.UTF_8).strip())
                    .isEqualTo(GenerateEventsProcessor.class.getName());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private record Compilation(List<Diagnostic<? extends JavaFileObject>> diagnostics, @Nullable ClassLoader loader) {

        List<String> errors() {
            return messages(Diagnostic.Kind.ERROR);
        }

        List<String> notes() {
            return messages(Diagnostic.Kind.NOTE);
        }

        List<String> warnings() {
            List<String> warnings = new ArrayList<>(messages(Diagnostic.Kind.WARNING));
            warnings.addAll(messages(Diagnostic.Kind.MANDATORY_WARNING));
            return warnings;
        }

        List<String> messages(Diagnostic.Kind kind) {
            return diagnostics.stream().filter(diagnostic -> diagnostic.getKind() == kind)
                    .map(diagnostic -> diagnostic.getMessage(Locale.ROOT)).toList();
        }

        Class<?> load(String name) throws ClassNotFoundException {
            assertThat(loader).as("compiled classes").isNotNull();
            return Class.forName(name, true, loader);
        }
    }

    private void write(String path, String content) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /**
     * Compiles the project's Java sources with the processor, as a javac-only build would; one that writes the lock,
     * unless {@code options} say otherwise, whether or not the machine running the tests is a CI server.
     */
    private Compilation compile(String... options) throws IOException {
        Path classes = Files.createDirectories(project.resolve("classes"));
        Path generated = Files.createDirectories(project.resolve("generated"));
        List<File> sources;
        try (Stream<Path> files = Files.walk(project.resolve("src/main/java"))) {
            sources = files.filter(path -> path.toString().endsWith(".java")).map(Path::toFile).toList();
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> arguments = new ArrayList<>(List.of("--release", "21", "-Xlint:all,-processing",
                "-classpath", classpath(), "-d", classes.toString(), "-s", generated.toString()));
        if (Stream.of(options).noneMatch(option -> option.startsWith("-Arunestone.updateLock="))) {
            arguments.add("-Arunestone.updateLock=true");
        }
        arguments.addAll(List.of(options));
        boolean success;
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            JavaCompiler.CompilationTask task = compiler.getTask(null, files, diagnostics, arguments, null,
                    files.getJavaFileObjectsFromFiles(sources));
            task.setProcessors(List.of(new GenerateEventsProcessor()));
            success = task.call();
        }
        ClassLoader loader = success
                ? new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())
                : null;
        return new Compilation(diagnostics.getDiagnostics(), loader);
    }

    private static String classpath() {
        return Stream.of(GenerateEvents.class, EventRegistry.class, JsonProperty.class, Nullable.class)
                .map(type -> {
                    try {
                        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
                    } catch (URISyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .distinct()
                .collect(Collectors.joining(File.pathSeparator));
    }
}
