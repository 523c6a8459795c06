package dev.runestone.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.EventDecodingException;
import dev.runestone.EventValidationException;
import dev.runestone.UnknownEventTypeException;
import dev.runestone.registry.EventRegistry;
import dev.runestone.registry.EventRegistry.EncodedEvent;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles what the last build of the versioned scenario generates together with
 * {@code scenarios/AccountUpcasters.java}, an implementation of its upcasters, then reads events stored at every
 * version through the generated registry.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class VersionedEventsTest {

    @TempDir
    static Path workDir;

    private static Map<String, String> generated;
    private static JavaCompilation.Result compilation;
    private static EventRegistry<Object> registry;

    @BeforeAll
    static void compile() throws Exception {
        generated = TestEvents.sources(TestEvents.generateAccounts(workDir.resolve("events")));
        Map<String, String> sources = new LinkedHashMap<>(generated);
        sources.put("com.example.accounts.AccountUpcasters", upcasters());
        compilation = JavaCompilation.compile(workDir.resolve("compiled"), sources);
        assertThat(compilation.success()).as("compiles: %s", compilation.diagnostics()).isTrue();
        registry = registry(compilation, "registry");
    }

    @SuppressWarnings("unchecked")
    private static EventRegistry<Object> registry(JavaCompilation.Result compilation, String method) throws Exception {
        Class<?> upcasters = compilation.load("com.example.accounts.AccountEventUpcasters");
        Object implementation = compilation.load("com.example.accounts.AccountUpcasters").getConstructor()
                .newInstance();
        Object result = compilation.load("com.example.accounts.AccountEvent").getMethod(method, upcasters)
                .invoke(null, implementation);
        return result instanceof EventRegistry.Builder<?> builder ? (EventRegistry<Object>) builder.build()
                : (EventRegistry<Object>) result;
    }

    private static String upcasters() {
        return TestEvents.read(TestEvents.resource("scenarios/AccountUpcasters.java"));
    }

    @Nested
    class Reading {

        @Test
        void an_event_stored_at_version_1_is_read_as_todays_record_through_every_step() {
            Object opened = registry.decode("account:opened", new EncodedEvent("account:opened", 1,
                    "{\"holder\":\"Jane Doe\"}", "{\"auditor\":\"admin\"}"));

            assertThat(opened.getClass().getName()).isEqualTo("com.example.accounts.AccountOpened");
            EncodedEvent written = registry.encode(opened);
            assertThat(written.version()).isEqualTo(3);
            assertThat(written.data()).isEqualTo("{\"holder\":{\"given\":\"Jane\",\"family\":\"Doe\"},"
                    + "\"currency\":\"EUR\"}");
            assertThat(written.meta()).isEqualTo("{\"auditor\":\"admin\"}");
        }

        @Test
        void an_event_stored_at_a_later_older_version_takes_only_the_remaining_steps() {
            Object opened = registry.decode("account:opened", new EncodedEvent("account:opened", 2,
                    "{\"holder\":{\"given\":\"Jo\",\"family\":\"Roe\"}}", "{\"auditor\":\"admin\"}"));
            Object renamed = registry.decode("account:renamed", new EncodedEvent("account:renamed", 1,
                    "\"Savings\"", null));

            assertThat(registry.encode(opened).data()).isEqualTo("{\"holder\":{\"given\":\"Jo\",\"family\":\"Roe\"},"
                    + "\"currency\":\"EUR\"}");
            assertThat(registry.encode(renamed)).isEqualTo(new EncodedEvent("account:renamed", 2,
                    "{\"name\":\"Savings\"}", null));
        }

        @Test
        void each_type_is_written_at_its_current_version() {
            assertThat(registry.versionOf("account:opened")).isEqualTo(3);
            assertThat(registry.versionOf("account:renamed")).isEqualTo(2);
            assertThat(registry.versionOf("account:closed")).isEqualTo(1);
        }

        @Test
        void stored_json_that_breaks_its_versions_schema_is_refused_with_the_path() {
            assertThatThrownBy(() -> registry.decode("account:opened", new EncodedEvent("account:opened", 1,
                    "{\"holder\":null}", "{\"auditor\":\"admin\"}")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("data.holder");
        }

        @Test
        void a_retired_type_is_not_registered_and_its_events_can_be_read_as_another_type_through_json()
                throws Exception {
            EncodedEvent frozen = new EncodedEvent("account:frozen", 1, "{\"reason\":\"fraud\"}", null);
            EventRegistry<Object> rewriting = withJsonUpcaster();

            assertThat(registry.types()).doesNotContain("account:frozen");
            assertThatThrownBy(() -> registry.decode("account:frozen", frozen))
                    .isInstanceOf(UnknownEventTypeException.class);
            assertThat(rewriting.encode(rewriting.decode("account:frozen", frozen))).isEqualTo(new EncodedEvent(
                    "account:closed", 1, "{\"balance\":0,\"note\":\"frozen: fraud\"}", null));
        }

        @SuppressWarnings("unchecked")
        private static EventRegistry<Object> withJsonUpcaster() throws Exception {
            Class<?> upcasters = compilation.load("com.example.accounts.AccountEventUpcasters");
            EventRegistry.Builder<Object> builder = (EventRegistry.Builder<Object>) compilation
                    .load("com.example.accounts.AccountEvent").getMethod("registryBuilder", upcasters)
                    .invoke(null, compilation.load("com.example.accounts.AccountUpcasters").getConstructor()
                            .newInstance());
            return builder.jsonUpcaster("account:frozen", 1, stored -> new EncodedEvent("account:closed", 1,
                    "{\"balance\":0,\"note\":\"frozen: " + stored.data().replaceAll(".*:\"|\"}", "") + "\"}", null))
                    .build();
        }
    }

    @Nested
    class GeneratedTypes {

        @Test
        void compile_without_a_single_warning_under_Xlint_all() {
            assertThat(compilation.warnings()).isEmpty();
        }

        @Test
        void the_records_of_older_versions_are_validated_and_outside_the_sealed_interface() throws Exception {
            Class<?> eventInterface = compilation.load("com.example.accounts.AccountEvent");
            Class<?> v1 = compilation.load("com.example.accounts.versions.AccountOpenedV1");
            Class<?> v1Data = compilation.load("com.example.accounts.versions.AccountOpenedV1$Data");
            Class<?> v1Meta = compilation.load("com.example.accounts.versions.AccountOpenedV1$Meta");

            assertThat(v1.isRecord()).isTrue();
            assertThat(eventInterface.isAssignableFrom(v1)).isFalse();
            assertThat(eventInterface.getPermittedSubclasses()).extracting(Class::getSimpleName)
                    .containsExactly("AccountClosed", "AccountOpened", "AccountRenamed");
            assertThat(v1.getField("VERSION").get(null)).isEqualTo(1);
            assertThatThrownBy(() -> v1.getConstructor(v1Data, v1Meta).newInstance(
                    v1Data.getConstructor(String.class).newInstance((Object) null),
                    v1Meta.getConstructor(String.class).newInstance("admin")))
                    .isInstanceOf(InvocationTargetException.class)
                    .cause().isInstanceOf(EventValidationException.class)
                    .hasMessage("account:opened is invalid: data.holder: must not be null (required)");
        }

        @Test
        void the_registry_needs_the_upcasters_and_can_be_built_on() throws Exception {
            Class<?> eventInterface = compilation.load("com.example.accounts.AccountEvent");

            assertThat(eventInterface.getMethods()).extracting(method -> method.getName() + method.getParameterCount())
                    .containsExactlyInAnyOrder("registry1", "registryBuilder1");
            assertThat(registry(compilation, "registryBuilder").types())
                    .containsExactlyInAnyOrder("account:opened", "account:renamed", "account:closed");
        }
    }

    @Nested
    class CompileErrors {

        @Test
        void an_implementation_without_a_step_does_not_compile(@TempDir Path dir) {
            String withoutStep = upcasters().replaceAll(
                    "(?s)    /\\*\\* Version 3 added.*?\n    }\n\n", "");
            assertThat(withoutStep).doesNotContain("fromV2");
            Map<String, String> sources = new LinkedHashMap<>(generated);
            sources.put("com.example.accounts.AccountUpcasters", withoutStep);

            JavaCompilation.Result result = JavaCompilation.compile(dir, sources);

            assertThat(result.success()).isFalse();
            assertThat(result.messages(Diagnostic.Kind.ERROR)).singleElement().asString().isEqualTo(
                    "AccountUpcasters.java:11: com.example.accounts.AccountUpcasters is not abstract and does not "
                            + "override abstract method fromV2(com.example.accounts.versions.AccountOpenedV2) in "
                            + "com.example.accounts.AccountOpenedUpcaster");
        }

        @Test
        void asking_for_the_registry_without_upcasters_does_not_compile(@TempDir Path dir) {
            Map<String, String> sources = new LinkedHashMap<>(generated);
            sources.put("com.example.accounts.App", """
                    package com.example.accounts;

                    class App {
                        static Object registry() {
                            return AccountEvent.registry();
                        }
                    }
                    """);

            JavaCompilation.Result result = JavaCompilation.compile(dir, sources);

            assertThat(result.success()).isFalse();
            assertThat(result.messages(Diagnostic.Kind.ERROR)).singleElement().asString()
                    .startsWith("App.java:5: method registry in interface com.example.accounts.AccountEvent cannot "
                            + "be applied to given types;")
                    .contains("required: com.example.accounts.AccountEventUpcasters");
        }
    }
}
