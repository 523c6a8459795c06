package dev.runestone.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The lock file: what the generator writes into it, when, and what it refuses. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LockFileTest {

    private static final String CREATED = """
            {"event": {"type": "user:created", "data": {"email": {"type": "string"}}}}
            """;

    private static final String ACTIVATED = """
            {"event": {"type": "user:activated"}}
            """;

    @TempDir
    Path events;

    @Nested
    class Writing {

        @Test
        void the_first_build_lists_every_type_and_writes_the_lock_beside_the_configs() throws IOException {
            write("user-created.json", CREATED);
            write("user-activated.json", ACTIVATED);

            LockFile lock = generate().lock();

            assertThat(lock.path()).isEqualTo(events.resolve("runestone.lock.json"));
            assertThat(lock.changes()).extracting(LockChange::toString).containsExactly(
                    events.resolve("user-activated.json") + "#/event: \"user:activated\" version 1 [type-added]: adds "
                            + "the event type",
                    events.resolve("user-created.json") + "#/event: \"user:created\" version 1 [type-added]: adds the "
                            + "event type");
            assertThat(lock.upToDate()).isFalse();
            assertThat(lock.write()).isTrue();
            assertThat(events.resolve("runestone.lock.json")).hasContent(lock.content());
        }

        @Test
        void a_lock_is_replaced_whole_leaving_nothing_else_beside_the_configs() throws IOException {
            write("user-created.json", CREATED);
            generate().lock().write();
            write("user-activated.json", ACTIVATED);

            LockFile lock = generate().lock();

            assertThat(lock.write()).isTrue();
            assertThat(events.resolve("runestone.lock.json")).hasContent(lock.content());
            try (Stream<Path> files = Files.list(events)) {
                assertThat(files.map(file -> file.getFileName().toString()))
                        .containsExactlyInAnyOrder("user-created.json", "user-activated.json", "runestone.lock.json");
            }
        }

        @Test
        void the_lock_is_pretty_printed_with_types_sorted_a_hash_per_version_and_a_final_newline() throws IOException {
            write("z.json", """
                    {"events": [{"type": "user:created", "data": {"email": {"type": "string"}}},
                                {"type": "account:opened"}]}
                    """);

            String content = generate().lock().content();

            assertThat(content).startsWith("""
                    {
                      "$comment": "The schema of every event type at every version, kept by the Runestone \
                    generator: commit it, and never edit it by hand",
                      "lockVersion": 1,
                      "events": {
                        "account:opened": {
                          "versions": {
                            "1": {
                              "sha256": \"""").endsWith("}\n").doesNotContain("\r");
            assertThat(content.indexOf("\"account:opened\"")).isLessThan(content.indexOf("\"user:created\""));
            JsonNode created = ConfigReader.MAPPER.readTree(content).get("events").get("user:created");
            assertThat(created.get("versions").get("1").get("sha256").asText())
                    .isEqualTo(Lock.sha256(created.get("versions").get("1").get("schema")))
                    .hasSize(64);
        }

        @Test
        void a_rebuild_changes_nothing_and_gives_the_same_bytes() throws IOException {
            write("user-created.json", CREATED);
            generate().lock().write();
            byte[] written = Files.readAllBytes(events.resolve("runestone.lock.json"));

            LockFile again = generate().lock();

            assertThat(again.upToDate()).isTrue();
            assertThat(again.changes()).isEmpty();
            assertThat(again.write()).isFalse();
            assertThat(again.content().getBytes(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(written);
            assertThat(Files.readAllBytes(events.resolve("runestone.lock.json"))).isEqualTo(written);
        }

        @Test
        void a_lock_checked_out_with_other_line_endings_is_still_up_to_date() throws IOException {
            write("user-created.json", CREATED);
            String content = generate().lock().content();
            write("runestone.lock.json", content.replace("\n", "\r\n"));

            assertThat(generate().lock().upToDate()).isTrue();
        }

        @Test
        void a_compatible_change_replaces_the_schema_of_that_version_and_says_what_changed() throws IOException {
            write("user-created.json", CREATED);
            generate().lock().write();
            write("user-created.json", """
                    {"event": {"type": "user:created", "data": {"email": {"type": "string"},
                                                                "nickname": {"type": ["string", "null"]}}}}
                    """);

            LockFile lock = generate().lock();
            lock.write();

            assertThat(lock.changes()).extracting(change -> change.format("user-created.json")).containsExactly(
                    "user-created.json#/event/data/nickname: \"user:created\" version 1 [optional-property-added]: "
                            + "adds the optional property \"nickname\"");
            JsonNode versions = lockTree().get("events").get("user:created").get("versions");
            assertThat(versions.size()).isEqualTo(1);
            assertThat(versions.get("1").get("schema").at("/properties/data/properties/nickname")).isNotNull();
            assertThat(versions.get("1").get("sha256").asText())
                    .isEqualTo(Lock.sha256(versions.get("1").get("schema")));
            assertThat(generate().lock().upToDate()).isTrue();
        }

        @Test
        void a_new_version_is_appended_and_the_older_one_stays_as_it_was() throws IOException {
            write("user-created.json", CREATED);
            generate().lock().write();
            JsonNode version1 = lockTree().at("/events/user:created/versions/1");
            write("user-created.json", """
                    {"event": {"type": "user:created", "version": 2, "data": {"email": {"type": "string",
                                                                                       "format": "email"}}}}
                    """);

            GeneratedSources sources = generate();
            sources.lock().write();

            assertThat(sources.lock().changes()).extracting(change -> change.format("user-created.json"))
                    .containsExactly("user-created.json#/event/version: \"user:created\" version 2 [version-added]: "
                            + "adds version 2; version 1 stays locked as it is, read through "
                            + "UserCreatedUpcaster.fromV1");
            JsonNode versions = lockTree().at("/events/user:created/versions");
            assertThat(versions.propertyStream().map(Map.Entry::getKey)).containsExactly("1", "2");
            assertThat(versions.get("1")).isEqualTo(version1);
            assertThat(sources.files()).extracting(GeneratedFile::qualifiedName)
                    .contains("com.example.events.versions.UserCreatedV1", "com.example.events.UserCreatedUpcaster",
                            "com.example.events.UserEventUpcasters");
        }

        @Test
        void a_retired_type_keeps_its_history_generates_nothing_and_may_come_back() throws IOException {
            write("user-created.json", CREATED);
            write("user-activated.json", ACTIVATED);
            generate().lock().write();
            JsonNode history = lockTree().at("/events/user:activated/versions");
            write("user-activated.json", """
                    {"event": {"type": "user:activated", "retired": true, "description": "Users are active at once."}}
                    """);

            GeneratedSources retired = generate();
            retired.lock().write();

            assertThat(retired.lock().changes()).extracting(change -> change.format("user-activated.json"))
                    .containsExactly("user-activated.json#/event/retired: \"user:activated\" [type-retired]: retires "
                            + "the event type; the lock keeps its version 1");
            assertThat(lockTree().at("/events/user:activated/retired").asBoolean()).isTrue();
            assertThat(lockTree().at("/events/user:activated/versions")).isEqualTo(history);
            assertThat(retired.files()).extracting(GeneratedFile::qualifiedName)
                    .noneMatch(name -> name.contains("UserActivated"));
            assertThat(generate().lock().upToDate()).isTrue();

            write("user-activated.json", ACTIVATED);
            LockFile revived = generate().lock();

            assertThat(revived.changes()).extracting(change -> change.format("user-activated.json"))
                    .containsExactly("user-activated.json#/event: \"user:activated\" [type-revived]: declares the "
                            + "retired type again");
        }

        @Test
        void the_lock_may_live_elsewhere_and_a_lock_among_the_configs_is_not_read_as_one(@TempDir Path elsewhere)
                throws IOException {
            write("user-created.json", CREATED);
            Path lockFile = elsewhere.resolve("build/events.lock.json");

            EventCodeGenerator generator = EventCodeGenerator.builder().input(events).lockFile(lockFile)
                    .packageName("p").interfaceName("E").build();
            LockFile lock = generator.generate().lock();
            lock.write();
            write("runestone.lock.json", lock.content());

            assertThat(lockFile).exists();
            assertThat(catchThrowableOfType(EventConfigException.class, generator::generate).problems())
                    .extracting(ConfigProblem::toString).containsExactly(events.resolve("runestone.lock.json")
                            + ": is a Runestone lock file, not an event config; set the generator's lock file to it, "
                            + "or move it out of the config folders");
        }

        @Test
        void configs_held_in_memory_have_no_lock() {
            GeneratedSources sources = EventCodeGenerator.builder().config("user-created.json", CREATED)
                    .packageName("p").interfaceName("E").build().generate();

            assertThat(sources.lock()).isNull();
        }

        @Test
        void a_build_writes_the_lock_unless_it_runs_under_continuous_integration_or_is_told_otherwise() {
            assertThat(LockFile.written(null, Map.of())).isTrue();
            assertThat(LockFile.written(null, Map.of("CI", "false"))).isTrue();
            assertThat(LockFile.written(null, Map.of("CI", "true"))).isFalse();
            assertThat(LockFile.written(null, Map.of("CI", "1"))).isFalse();
            assertThat(LockFile.written("TRUE", Map.of("CI", "true"))).isTrue();
            assertThat(LockFile.written("false", Map.of())).isFalse();
        }

        @Test
        void a_setting_that_is_neither_true_nor_false_is_refused_rather_than_taken_as_false() {
            assertThatThrownBy(() -> LockFile.written("yes", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("yes is neither true nor false");
        }
    }

    @Nested
    class Refusing {

        @Test
        void a_version_may_go_up_by_one_only() throws IOException {
            write("user-created.json", CREATED);
            generate().lock().write();
            write("user-created.json", """
                    {"event": {"type": "user:created", "version": 3, "data": {"email": {"type": "string"}}}}
                    """);

            assertThat(problems(events)).containsExactly(events.resolve("user-created.json") + "#/event/version: the "
                    + "lock holds \"user:created\" up to version 1, so the next version is 2, not 3: each version "
                    + "needs its schema in the lock and its step in the upcaster");
        }

        @Test
        void a_version_never_goes_down_so_a_locked_version_cannot_be_edited_once_a_newer_one_exists()
                throws IOException {
            write("user-created.json", CREATED);
            generate().lock().write();
            write("user-created.json", """
                    {"event": {"type": "user:created", "version": 2, "data": {"mail": {"type": "string"}}}}
                    """);
            generate().lock().write();
            write("user-created.json", CREATED);

            assertThat(problems(events)).containsExactly(events.resolve("user-created.json") + "#/event: the lock "
                    + "holds \"user:created\" up to version 2, and a type's version never goes down; set \"version\" "
                    + "to 2");
        }

        @Test
        void a_type_is_declared_once_at_its_current_version_not_once_a_version() throws IOException {
            write("user-created.json", CREATED);
            generate().lock().write();
            write("user-created-v2.json", """
                    {"event": {"type": "user:created", "version": 2, "data": {"mail": {"type": "string"}}}}
                    """);

            assertThat(problems(events)).containsExactly(events.resolve("user-created.json") + "#/event/type: "
                    + "duplicate event type \"user:created\"; it is already declared in user-created-v2.json#/event; "
                    + "declare each type once, at its current version: the lock keeps the schemas of the older ones");
        }

        @Test
        void a_new_type_starts_at_version_1_and_retiring_needs_a_locked_type() throws IOException {
            write("user-created.json", """
                    {"events": [{"type": "user:created", "version": 2, "data": {"type": "string"}},
                                {"type": "user:deleted", "retired": true, "data": {"type": "string"}}]}
                    """);

            assertThat(problems(events)).containsExactly(
                    events.resolve("user-created.json") + "#/events/0/version: the lock holds no version of "
                            + "\"user:created\", so version 2 has no earlier schemas to read old events with; start "
                            + "at version 1, or restore the lock from version control",
                    events.resolve("user-created.json") + "#/events/1/data: a retired type generates nothing, so "
                            + "\"data\" has no use: remove it; the lock keeps the schema of every version");
        }

        @Test
        void a_retired_type_must_be_one_the_lock_holds() throws IOException {
            write("user-created.json", CREATED);
            write("user-deleted.json", """
                    {"event": {"type": "user:deleted", "retired": true}}
                    """);

            assertThat(problems(events)).containsExactly(events.resolve("user-deleted.json") + "#/event/retired: the "
                    + "lock holds no version of \"user:deleted\", so there is nothing to retire; delete the config");
        }

        @Test
        void versions_need_a_lock_file() {
            EventConfigException failure = catchThrowableOfType(EventConfigException.class, () -> EventCodeGenerator
                    .builder().config("user-created.json", """
                            {"event": {"type": "user:created", "version": 2}}
                            """).packageName("p").interfaceName("E").build().generate());

            assertThat(failure.problems()).extracting(ConfigProblem::toString).containsExactly("user-created.json"
                    + "#/event/version: version 2 needs a lock file, which holds the schemas of the versions before "
                    + "it; give the generator one");
        }

        @Test
        void a_lock_edited_by_hand_is_refused_by_its_hash() throws IOException {
            write("user-created.json", CREATED);
            generate().lock().write();
            write("runestone.lock.json", Files.readString(events.resolve("runestone.lock.json"))
                    .replace("\"email\"", "\"mail\""));

            assertThat(problems(events)).containsExactly(events.resolve("runestone.lock.json")
                    + "#/events/user:created/versions/1/sha256: does not match the schema, so the lock was edited by "
                    + "hand; restore it from version control");
        }

        @Test
        void a_config_that_cannot_be_read_does_not_make_the_types_it_declares_look_removed() throws IOException {
            write("user-created.json", CREATED);
            write("user-activated.json", ACTIVATED);
            generate().lock().write();
            write("user-created.json", CREATED.replace("}}}}", "},}}}"));
            Files.write(events.resolve("user-activated.json"), new byte[] {'{', (byte) 0xff, '}'});

            assertThat(problems(events)).satisfiesExactly(
                    activated -> assertThat(activated).isEqualTo(events.resolve("user-activated.json")
                            + ": is not UTF-8 text"),
                    created -> assertThat(created).startsWith(events.resolve("user-created.json")
                            + "#/event/data/email: malformed JSON"));
        }

        @Test
        void a_lock_that_cannot_be_read_is_not_taken_for_a_missing_one() throws IOException {
            write("user-created.json", """
                    {"events": [{"type": "user:created", "version": 2, "data": {"email": {"type": "string"}}},
                                {"type": "user:activated", "retired": true}]}
                    """);
            Files.write(events.resolve("runestone.lock.json"), new byte[] {'{', (byte) 0xff, '}'});

            assertThat(problems(events)).containsExactly(events.resolve("runestone.lock.json")
                    + ": is not UTF-8 text");
        }

        @Test
        void a_schema_the_generator_would_not_write_is_refused_even_with_a_matching_hash() throws IOException {
            write("user-created.json", CREATED);
            write("runestone.lock.json", """
                    {"lockVersion": 1, "events": {"user:created": {"versions": {"1": {"sha256": "%s", "schema": {}}}}}}
                    """.formatted(Lock.sha256(ConfigReader.MAPPER.createObjectNode())));

            assertThat(problems(events)).containsExactly(events.resolve("runestone.lock.json")
                    + "#/events/user:created/versions/1/schema: is not a normalised schema as the generator writes "
                    + "it; restore the lock from version control");
        }

        @Test
        void text_that_utf_8_cannot_encode_is_refused_even_with_a_matching_hash() throws IOException {
            write("user-created.json", CREATED);
            generate().lock().write();
            ObjectNode lock = (ObjectNode) lockTree();
            ObjectNode version = (ObjectNode) lock.at("/events/user:created/versions/1");
            ((ObjectNode) version.get("schema")).put("description", "half of \ud83d");
            version.put("sha256", Lock.sha256(version.get("schema")));
            write("runestone.lock.json", lock.toString().replace("\ud83d", "\\ud83d"));

            assertThat(problems(events)).containsExactly(events.resolve("runestone.lock.json")
                    + "#/events/user:created/versions/1/schema/description: holds a lone surrogate, which JSON can "
                    + "escape (\\ud800) but UTF-8 cannot encode; restore the lock from version control");
        }

        static Stream<Arguments> damagedLocks() {
            String version = "{'sha256': '" + "0".repeat(64) + "', 'schema': {}}";
            return Stream.of(
                    Arguments.of("", ": is not a lock file: it must be a JSON object holding 'lockVersion' and "
                            + "'events'"),
                    Arguments.of("[]", ": is not a lock file: it must be a JSON object holding 'lockVersion' and "
                            + "'events'"),
                    Arguments.of("{'events': {}}", "#/lockVersion: must be 1"),
                    Arguments.of("{'lockVersion': '1', 'events': {}}", "#/lockVersion: must be 1"),
                    Arguments.of("{'lockVersion': 0, 'events': {}}", "#/lockVersion: is 0, but this generator reads "
                            + "lock files of version 1"),
                    Arguments.of("{'lockVersion': 1}", "#/events: must be an object holding the versions of "
                            + "each event type"),
                    Arguments.of("{'lockVersion': 1, 'events': {'a': []}}", "#/events/a: must be an object holding "
                            + "'versions'"),
                    Arguments.of("{'lockVersion': 1, 'events': {'a': {'versions': {}}}}", "#/events/a/versions: must "
                            + "be an object holding versions from '1' up"),
                    Arguments.of("{'lockVersion': 1, 'events': {'a': {'retired': 1, 'versions': {'1': " + version
                            + "}}}}", "#/events/a/retired: must be true or false"),
                    Arguments.of("{'lockVersion': 1, 'events': {'a': {'versions': {'01': " + version + "}}}}",
                            "#/events/a/versions/01: must be version '1': the versions go from 1 up without gaps"),
                    Arguments.of("{'lockVersion': 1, 'events': {'a': {'versions': {'1': 'x'}}}}",
                            "#/events/a/versions/1: must be an object holding 'sha256' and 'schema'"),
                    Arguments.of("{'lockVersion': 1, 'events': {'a': {'versions': {'1': {'schema': 1}}}}}",
                            "#/events/a/versions/1/schema: must be the normalised JSON Schema of the version"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("damagedLocks")
        void a_lock_damaged_in_its_layout_says_to_restore_it(String lock, String problem)
                throws IOException {
            write("user-created.json", CREATED);
            write("runestone.lock.json", lock.replace('\'', '"'));

            assertThat(problems(events)).contains(events.resolve("runestone.lock.json") + problem.replace('\'', '"')
                    + "; restore the lock from version control");
        }

        @Test
        void a_lock_left_with_merge_conflict_markers_says_how_to_settle_it() throws IOException {
            write("user-created.json", CREATED);
            write("runestone.lock.json", "<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> branch\n");

            assertThat(problems(events)).singleElement().asString()
                    .startsWith(events.resolve("runestone.lock.json") + ": malformed JSON at line 1, column 1")
                    .endsWith("After a merge conflict, keep either side whole and build again: the build adds back "
                            + "what the configs hold");
        }
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(events.resolve(name), content);
    }

    private JsonNode lockTree() throws IOException {
        return ConfigReader.MAPPER.readTree(events.resolve("runestone.lock.json").toFile());
    }

    private GeneratedSources generate() {
        return EventCodeGenerator.builder().input(events).packageName("com.example.events").interfaceName("UserEvent")
                .build().generate();
    }

    private static List<String> problems(Path events) {
        EventConfigException failure = catchThrowableOfType(EventConfigException.class, () -> EventCodeGenerator
                .builder().input(events).packageName("p").interfaceName("E").build().generate());
        assertThat(failure).as("the build fails").isNotNull();
        return new ArrayList<>(failure.problems().stream().map(ConfigProblem::toString).toList());
    }
}
