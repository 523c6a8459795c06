package dev.runestone.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Configs the generator refuses, and what it says about them: the file, the JSON pointer and what is wrong. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConfigProblemsTest {

    @Nested
    class Files {

        @Test
        void malformed_json_is_reported_with_its_line_column_and_pointer() {
            assertThat(problems("broken.json", """
                    {"event": {"type": "user:created", "data": {"email": {"type": "string"},}}}
                    """)).containsExactly(new ConfigProblem(Path.of("broken.json"), "/event/data/email",
                    "malformed JSON at line 1, column 73: Unexpected character ('}' (code 125)): was expecting "
                            + "double-quote to start field name"));
        }

        @Test
        void a_key_written_twice_is_refused() {
            assertThat(messages("""
                    {"event": {"type": "a", "type": "b"}}
                    """)).singleElement().asString().startsWith("/event/type: malformed JSON at line 1")
                    .contains("Duplicate field 'type'");
        }

        @Test
        void text_that_utf_8_cannot_encode_is_refused_where_it_is() {
            assertThat(messages(event("""
                    "description": "half of \\ud83d", "data": {"a": {"type": "string", "enum": ["b", "\\udc00"]}}
                    """))).containsExactly(
                    "/event/description: holds a lone surrogate, which JSON can escape (\\ud800) but UTF-8 cannot "
                            + "encode; write the whole character, or leave it out",
                    "/event/data/a/enum/1: holds a lone surrogate, which JSON can escape (\\ud800) but UTF-8 cannot "
                            + "encode; write the whole character, or leave it out");
        }

        @Test
        void a_config_must_hold_event_or_events() {
            assertThat(messages("{\"evnt\": {}}")).containsExactly(
                    ": holds neither \"event\" nor \"events\"",
                    "/evnt: unknown key \"evnt\"; a config holds \"event\" or \"events\"");
            assertThat(messages("[]")).containsExactly(": must be a JSON object holding \"event\" or \"events\"");
            assertThat(messages("{\"events\": []}")).containsExactly("/events: is empty; list at least one event");
        }

        @Test
        void an_event_needs_a_type_string_and_only_known_keys() {
            assertThat(messages("""
                    {"events": [{"data": {}}, {"type": " "}, {"type": "a", "payload": {}}]}
                    """)).containsExactly(
                    "/events/0: has no \"type\"; give it a type string such as \"user:created\"",
                    "/events/1/type: must be a non-blank string such as \"user:created\"",
                    "/events/2/payload: unknown key \"payload\"; an event has \"type\", \"version\", \"data\", "
                            + "\"meta\", \"description\", \"deprecated\", \"retired\" and \"x-java-type\"");
        }

        @Test
        void a_folder_without_configs_is_an_error(@org.junit.jupiter.api.io.TempDir Path empty) {
            EventConfigException e = catchThrowableOfType(EventConfigException.class,
                    () -> EventCodeGenerator.builder().input(empty).packageName("p").interfaceName("E").build()
                            .generate());

            assertThat(e.problems()).singleElement().extracting(ConfigProblem::message).asString()
                    .startsWith("no event configs (*.json) found in");
        }
    }

    @Nested
    class UnsupportedSchemas {

        @Test
        void references_and_combinations_are_refused_by_name() {
            assertThat(messages(event("""
                    "data": {
                      "name": {"$ref": "#/$defs/name"},
                      "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                      "a": {"type": "string", "allOf": [{"minLength": 1}]},
                      "b": {"type": "string", "anyOf": [{"minLength": 1}]},
                      "c": {"type": "object", "if": {}, "then": {}, "else": {}},
                      "d": {"type": "string", "not": {"const": "x"}},
                      "e": {"type": "object", "patternProperties": {"^x": {"type": "string"}}},
                      "f": {"type": "string", "default": "x"}
                    }
                    """))).containsExactly(
                    "/event/data/name/$ref: \"$ref\" is not supported; write the schema inline",
                    "/event/data/id/oneOf: \"oneOf\" is not supported: each schema must map to one Java type",
                    "/event/data/a/allOf: \"allOf\" is not supported: each schema must map to one Java type",
                    "/event/data/b/anyOf: \"anyOf\" is not supported: each schema must map to one Java type",
                    "/event/data/c/if: \"if\" is not supported: conditional schemas cannot be checked by a record's "
                            + "type",
                    "/event/data/c/then: \"then\" is not supported: conditional schemas cannot be checked by a "
                            + "record's type",
                    "/event/data/c/else: \"else\" is not supported: conditional schemas cannot be checked by a "
                            + "record's type",
                    "/event/data/d/not: \"not\" is not supported: each schema must map to one Java type",
                    "/event/data/e/patternProperties: \"patternProperties\" is not supported: a record has a fixed "
                            + "set of properties",
                    "/event/data/f/default: \"default\" is not supported: a missing optional value is null in Java");
        }

        @Test
        void an_unknown_keyword_is_refused_rather_than_ignored() {
            assertThat(messages(event("\"data\": {\"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, "
                    + "\"uniqueItems\": true}}"))).singleElement().asString()
                    .startsWith("/event/data/tags/uniqueItems: unsupported keyword \"uniqueItems\"; supported: type,");
        }

        @Test
        void a_value_has_one_type_at_most_besides_null() {
            assertThat(messages(event("""
                    "data": {
                      "a": {"type": ["string", "integer"]},
                      "b": {"type": "null"},
                      "c": {"type": "text"},
                      "d": {"description": "no type"},
                      "e": true
                    }
                    """))).containsExactly(
                    "/event/data/a/type: a value must have one type, optionally with \"null\"; [string, integer] "
                            + "would need a union, which Java records cannot express",
                    "/event/data/b/type: \"null\" alone is not a type a Java value can have; use [\"<type>\", "
                            + "\"null\"]",
                    "/event/data/c/type: unknown type \"text\"; use string, integer, number, boolean, object or array",
                    "/event/data/d: has no \"type\"; add one, e.g. \"type\": \"string\"",
                    "/event/data/e: boolean schemas are not supported; write an object schema with a \"type\"");
        }

        @Test
        void keywords_must_fit_the_type_and_hold_sensible_values() {
            assertThat(messages(event("""
                    "data": {
                      "age": {"type": "integer", "minLength": 1, "minimum": 1.5},
                      "email": {"type": "string", "format": "e-mail"},
                      "code": {"type": "string", "pattern": "([a-z"},
                      "id": {"type": "string", "format": "uuid", "maxLength": 36},
                      "size": {"type": "number", "minimum": 10, "maximum": 1},
                      "name": {"type": "string", "minLength": -1},
                      "role": {"type": "string", "enum": ["a", 1, "a"]}
                    }
                    """))).containsExactly(
                    "/event/data/age/minLength: \"minLength\" does not apply to an integer; it applies to strings",
                    "/event/data/age/minimum: must be a whole number, as the value is an integer",
                    "/event/data/email/format: unsupported format \"e-mail\"; supported: email, uuid, date-time, "
                            + "date, uri",
                    "/event/data/code/pattern: is not a valid regular expression: Unclosed character class near "
                            + "index 4",
                    "/event/data/id/maxLength: does not combine with format \"uuid\", whose values are not plain "
                            + "strings in Java",
                    "/event/data/size: its lower bound 10 is above its upper bound 1; no number could pass",
                    "/event/data/name/minLength: must be a whole number, 0 or more",
                    "/event/data/role/enum/1: 1 is not a string",
                    "/event/data/role/enum/2: lists \"a\" twice");
        }

        @Test
        void objects_declare_all_their_properties_and_arrays_their_items() {
            assertThat(messages(event("""
                    "data": {
                      "type": "object",
                      "properties": {
                        "open": {"type": "object", "additionalProperties": true},
                        "list": {"type": "array"},
                        "tuple": {"type": "array", "items": [{"type": "string"}]},
                        "grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}}
                      },
                      "required": ["open", "closed"]
                    }
                    """))).containsExactly(
                    "/event/data/properties/open/additionalProperties: only false is supported: every property of "
                            + "a record is declared",
                    "/event/data/properties/list: an array needs \"items\", the schema of its elements",
                    "/event/data/properties/tuple/items: tuples (an array of schemas) are not supported; give one "
                            + "schema for every element",
                    "/event/data/properties/grid/items: arrays of arrays are not supported; make the elements "
                            + "objects that hold an array",
                    "/event/data/required/1: names \"closed\", which is not among the properties");
        }
    }

    @Nested
    class JavaNames {

        @Test
        void a_property_name_that_is_no_java_identifier_needs_a_mapping() {
            assertThat(messages(event("""
                    "data": {
                      "first-name": {"type": "string"},
                      "class": {"type": "string"},
                      "hashCode": {"type": "integer"},
                      "last-name": {"type": "string", "x-java-name": "lastName"}
                    }
                    """))).containsExactly(
                    "/event/data/first-name: the property name \"first-name\" is not a usable Java name; map it "
                            + "with \"x-java-name\", e.g. \"x-java-name\": \"firstName\"",
                    "/event/data/class: the property name \"class\" is not a usable Java name; map it with "
                            + "\"x-java-name\", e.g. \"x-java-name\": \"classValue\"",
                    "/event/data/hashCode: the property name \"hashCode\" is not a usable Java name; map it with "
                            + "\"x-java-name\", e.g. \"x-java-name\": \"hashCodeValue\"");
        }

        @Test
        void a_mapping_must_itself_be_a_usable_name_and_unique() {
            assertThat(messages(event("""
                    "data": {
                      "a": {"type": "string", "x-java-name": "not valid"},
                      "b": {"type": "string", "x-java-name": "c"},
                      "c": {"type": "string"}
                    }
                    """))).containsExactly(
                    "/event/data/a/x-java-name: must be a Java identifier that can name a record component, such "
                            + "as \"firstName\"",
                    "/event/data/c: the properties \"b\" and \"c\" both map to the Java name c; set \"x-java-name\" "
                            + "on one of them");
        }

        @Test
        void nested_classes_may_not_clash_with_each_other_or_with_the_classes_they_are_in() {
            assertThat(messages(event("""
                    "data": {
                      "data": {"type": "object", "properties": {}},
                      "address": {"type": "object", "properties": {}},
                      "addresses": {"type": "array", "items": {"type": "object", "properties": {}}},
                      "list": {"type": "object", "properties": {}},
                      "status": {"type": "string", "enum": ["read-only", "read_only"]}
                    }
                    """))).containsExactly(
                    "/event/data/data: its class would be named Data, like a class it is nested in; name it with "
                            + "\"x-java-type\"",
                    "/event/data/addresses/items: its class would be named Data.Address, which the schema at "
                            + "/event/data/address already takes; name it with \"x-java-type\"",
                    "/event/data/list: its class would be named List, which would hide a type the generated code "
                            + "uses; name it with \"x-java-type\"",
                    "/event/data/status/enum/1: the values \"read-only\" and \"read_only\" both map to the Java "
                            + "constant READ_ONLY");
        }

        @Test
        void a_duplicate_type_and_two_types_with_one_class_name_are_refused() {
            EventConfigException e = catchThrowableOfType(EventConfigException.class, () -> generator()
                    .config("a.json", "{\"event\": {\"type\": \"user:created\"}}")
                    .config("b.json", "{\"events\": [{\"type\": \"user:created\"}, {\"type\": \"user-created\"},"
                            + " {\"type\": \"event-registry\"}]}")
                    .build().generate());

            assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                    "b.json#/events/0/type: duplicate event type \"user:created\"; it is already declared in "
                            + "a.json#/event",
                    "b.json#/events/1/type: the types \"user:created\" and \"user-created\" both map to the class "
                            + "UserCreated (see a.json#/event); set \"x-java-type\" on one of them",
                    "b.json#/events/2/type: the event's class would be named EventRegistry, which the generated "
                            + "code already uses; set \"x-java-type\" on the event");
        }

        @Test
        void x_java_type_settles_a_class_name_clash() {
            GeneratedSources sources = generator()
                    .config("a.json", "{\"event\": {\"type\": \"user:created\"}}")
                    .config("b.json", "{\"event\": {\"type\": \"user-created\", \"x-java-type\": \"UserCreatedV2\"}}")
                    .build().generate();

            assertThat(sources.files()).extracting(GeneratedFile::qualifiedName)
                    .contains("com.example.UserCreated", "com.example.UserCreatedV2");
        }
    }

    @Nested
    class Reporting {

        @Test
        void every_problem_in_every_file_is_reported_at_once_ordered_by_file() {
            EventConfigException e = catchThrowableOfType(EventConfigException.class, () -> generator()
                    .config("b.json", event("\"data\": {\"a\": {\"$ref\": \"#\"}, \"b\": {\"type\": \"text\"}}"))
                    .config("a.json", "{\"event\": ")
                    .config("c.json", "{\"event\": {\"type\": \"c\", \"data\": {\"x-y\": {\"type\": \"string\"}}}}")
                    .build().generate());

            assertThat(e.problems()).extracting(problem -> problem.file().toString())
                    .containsExactly("a.json", "b.json", "b.json", "c.json");
            assertThat(e.getMessage()).startsWith("""
                    4 problems in the event configs:
                      a.json#/event: malformed JSON at line 1, column 11: Unexpected end-of-input""")
                    .contains("\n  b.json#/event/data/a/$ref: \"$ref\" is not supported; write the schema inline\n")
                    .endsWith("\n  c.json#/event/data/x-y: the property name \"x-y\" is not a usable Java name; "
                            + "map it with \"x-java-name\", e.g. \"x-java-name\": \"xY\"");
        }

        @Test
        void the_generator_itself_needs_a_package_an_interface_name_and_an_input() {
            assertThatThrownBy(() -> EventCodeGenerator.builder().interfaceName("E").config("a", "{}").build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("packageName");
            assertThatThrownBy(() -> EventCodeGenerator.builder().packageName("p").interfaceName("not valid")
                    .config("a", "{}").build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("\"not valid\" is not one");
            assertThatThrownBy(() -> EventCodeGenerator.builder().packageName("p").interfaceName("E").build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("input");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static EventCodeGenerator.Builder generator() {
        return EventCodeGenerator.builder().packageName("com.example").interfaceName("Event");
    }

    private static String event(String body) {
        return "{\"event\": {\"type\": \"test:event\", " + body + "}}";
    }

    private static List<ConfigProblem> problems(String name, String json) {
        EventConfigException e = catchThrowableOfType(EventConfigException.class,
                () -> generator().config(name, json).build().generate());
        assertThat(e).as("an EventConfigException").isNotNull();
        return e.problems();
    }

    /** The problems of one config as {@code pointer: message}. */
    private static List<String> messages(String json) {
        return problems("test.json", json).stream().map(problem -> problem.pointer() + ": " + problem.message())
                .toList();
    }
}
