package dev.runestone.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** How both config forms become one full JSON Schema per event, the schema that drives types and checks. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NormalisationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_property_map_form_requires_each_property_whose_type_does_not_admit_null_at_every_depth() throws Exception {
        JsonNode data = schema("""
                {"event": {"type": "a", "data": {
                  "name": {"type": "object", "properties": {"given": {"type": "string"},
                                                            "middle": {"type": ["string", "null"]}}},
                  "nickname": {"type": ["string", "null"]}
                }}}
                """).at("/properties/data");

        assertThat(data.get("required")).isEqualTo(JSON.readTree("[\"name\"]"));
        assertThat(data.at("/properties/name/required")).isEqualTo(JSON.readTree("[\"given\"]"));
        assertThat(data.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(data.at("/properties/name/additionalProperties").asBoolean(true)).isFalse();
    }

    @Test
    void the_full_schema_form_keeps_required_as_json_schema_means_it() throws Exception {
        JsonNode data = schema("""
                {"event": {"type": "a", "data": {"type": "object",
                  "properties": {"a": {"type": "string"}, "b": {"type": "string"},
                                 "c": {"type": "object", "properties": {"d": {"type": "string"}}}},
                  "required": ["b"]}}}
                """).at("/properties/data");

        assertThat(data.get("required")).isEqualTo(JSON.readTree("[\"b\"]"));
        assertThat(data.at("/properties/c/required")).isEqualTo(JSON.readTree("[]"));
    }

    @Test
    void both_forms_of_the_same_event_give_the_same_schema() throws Exception {
        JsonNode propertyMap = schema("""
                {"event": {"type": "a", "meta": {"auditor": {"type": "string"}}}}
                """);
        JsonNode full = schema("""
                {"event": {"type": "a", "meta": {"type": "object", "properties": {"auditor": {"type": "string"}},
                                                 "required": ["auditor"], "additionalProperties": false}}}
                """);

        assertThat(full).isEqualTo(propertyMap);
    }

    @Test
    void a_missing_type_is_inferred_from_enum_or_const() throws Exception {
        JsonNode data = schema("""
                {"event": {"type": "a", "data": {
                  "status": {"const": "open"},
                  "level": {"enum": [1, 2, null]},
                  "flag": {"const": true}
                }}}
                """).at("/properties/data/properties");

        assertThat(data.at("/status/type").asText()).isEqualTo("string");
        assertThat(data.at("/level/type")).isEqualTo(JSON.readTree("[\"integer\", \"null\"]"));
        assertThat(data.at("/flag/type").asText()).isEqualTo("boolean");
    }

    @Test
    void the_event_schema_names_its_dialect_and_type_and_requires_data_and_meta() throws Exception {
        JsonNode event = schema("""
                {"event": {"type": "user:email-set", "description": "An email changed.",
                           "data": {"type": "string", "format": "email"}}}
                """);

        assertThat(event.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(event.get("title").asText()).isEqualTo("user:email-set");
        assertThat(event.get("description").asText()).isEqualTo("An email changed.");
        assertThat(event.get("required")).isEqualTo(JSON.readTree("[\"data\"]"));
        assertThat(event.at("/properties/data")).isEqualTo(JSON.readTree("{\"type\": \"string\", "
                + "\"format\": \"email\"}"));
    }

    @Test
    void annotations_that_change_nothing_are_accepted() throws Exception {
        JsonNode data = schema("""
                {"event": {"type": "a", "data": {"type": "string", "title": "Name", "$comment": "free text",
                                                 "examples": ["Jane"]}}}
                """).at("/properties/data");

        assertThat(data.get("title").asText()).isEqualTo("Name");
    }

    private static JsonNode schema(String config) throws Exception {
        GeneratedSources sources = EventCodeGenerator.builder().packageName("p").interfaceName("E")
                .config("a.json", config).build().generate();
        return JSON.readTree(sources.schemas().values().iterator().next());
    }
}
