package dev.runestone.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every compatibility rule, one change a row: a config of {@code user:created} is built once, which writes the lock,
 * then built again changed. A compatible change updates the lock and says so, one line a change; a breaking change
 * fails the build, naming the file, the JSON pointer, the rule and the fix. The configs use single quotes for
 * double ones, to stay readable here.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CompatibilityTest {

    private static final String V1 = "'user:created' version 1 [";
    private static final String BREAKS = "breaking change to 'user:created' version 1 [";
    private static final String FIX = "; bump 'version' to 2 and implement UserCreatedUpcaster.fromV1";

    /** How a row's change is judged, and the lines it gives. */
    enum Verdict { COMPATIBLE, BREAKING }

    static Stream<Arguments> changes() {
        return Stream.of(
                // Objects and their properties, in the property-map form and the full-schema form.
                compatible("an optional property is added",
                        map("'email': {'type': 'string'}"),
                        map("'email': {'type': 'string'}, 'nickname': {'type': ['string', 'null']}"),
                        "#/event/data/nickname: " + V1 + "optional-property-added]: adds the optional property "
                                + "'nickname'"),
                breaking("a required property is added",
                        map("'email': {'type': 'string'}"),
                        map("'email': {'type': 'string'}, 'age': {'type': 'integer'}"),
                        "#/event/data/age: " + BREAKS + "required-property-added]: adds the required property 'age', "
                                + "which events stored at version 1 lack" + FIX),
                breaking("a property is removed",
                        map("'email': {'type': 'string'}, 'nickname': {'type': ['string', 'null']}"),
                        map("'email': {'type': 'string'}"),
                        "#/event/data/nickname: " + BREAKS + "property-removed]: removes the property 'nickname', "
                                + "which events stored at version 1 may hold" + FIX),
                breaking("a property is renamed, which removes one and adds another",
                        map("'email': {'type': 'string'}"),
                        map("'mail': {'type': 'string'}"),
                        "#/event/data/email: " + BREAKS + "property-removed]: removes the property 'email', which "
                                + "events stored at version 1 may hold" + FIX,
                        "#/event/data/mail: " + BREAKS + "required-property-added]: adds the required property "
                                + "'mail', which events stored at version 1 lack" + FIX),
                breaking("an optional property is made required",
                        full("'properties': {'email': {'type': 'string'}}, 'required': []"),
                        full("'properties': {'email': {'type': 'string'}}, 'required': ['email']"),
                        "#/event/data/properties/email: " + BREAKS + "property-required]: makes the optional "
                                + "property 'email' required" + FIX),
                compatible("a required property is made optional",
                        full("'properties': {'email': {'type': 'string'}}, 'required': ['email']"),
                        full("'properties': {'email': {'type': 'string'}}"),
                        "#/event/data/properties/email: " + V1 + "property-optional]: makes the required property "
                                + "'email' optional"),
                breaking("a property is added to a nested object, required as the property-map form makes it",
                        map("'name': {'type': 'object', 'properties': {'given': {'type': 'string'}}}"),
                        map("'name': {'type': 'object', 'properties': {'given': {'type': 'string'}, "
                                + "'middle': {'type': 'string'}}}"),
                        "#/event/data/name/properties/middle: " + BREAKS + "required-property-added]: adds the "
                                + "required property 'middle', which events stored at version 1 lack" + FIX),
                compatible("an optional property is added to a nested object",
                        map("'name': {'type': 'object', 'properties': {'given': {'type': 'string'}}}"),
                        map("'name': {'type': 'object', 'properties': {'given': {'type': 'string'}, "
                                + "'middle': {'type': ['string', 'null']}}}"),
                        "#/event/data/name/properties/middle: " + V1 + "optional-property-added]: adds the optional "
                                + "property 'middle'"),

                // Types.
                compatible("an integer is widened to a number",
                        map("'amount': {'type': 'integer'}"),
                        map("'amount': {'type': 'number'}"),
                        "#/event/data/amount/type: " + V1 + "type-widened]: widens the type from integer to number"),
                breaking("a number is narrowed to an integer",
                        map("'amount': {'type': 'number'}"),
                        map("'amount': {'type': 'integer'}"),
                        "#/event/data/amount/type: " + BREAKS + "type-changed]: changes the type from number to "
                                + "integer" + FIX),
                breaking("a string becomes an object",
                        map("'address': {'type': 'string'}"),
                        map("'address': {'type': 'object', 'properties': {'city': {'type': 'string'}}}"),
                        "#/event/data/address/type: " + BREAKS + "type-changed]: changes the type from string to "
                                + "object" + FIX),
                compatible("null is admitted, which in the property-map form also makes the property optional",
                        map("'nickname': {'type': 'string'}"),
                        map("'nickname': {'type': ['string', 'null']}"),
                        "#/event/data/nickname: " + V1 + "property-optional]: makes the required property 'nickname' "
                                + "optional",
                        "#/event/data/nickname/type: " + V1 + "null-added]: admits null"),
                breaking("null is no longer admitted",
                        full("'properties': {'nickname': {'type': ['string', 'null']}}, 'required': ['nickname']"),
                        full("'properties': {'nickname': {'type': 'string'}}, 'required': ['nickname']"),
                        "#/event/data/properties/nickname/type: " + BREAKS + "null-removed]: no longer admits null"
                                + FIX),

                // Enums and constants.
                compatible("an enum value is added",
                        map("'role': {'type': 'string', 'enum': ['admin', 'member']}"),
                        map("'role': {'type': 'string', 'enum': ['admin', 'member', 'guest']}"),
                        "#/event/data/role/enum: " + V1 + "enum-value-added]: adds the enum value 'guest'"),
                breaking("enum values are removed",
                        map("'role': {'type': 'string', 'enum': ['admin', 'member', 'guest']}"),
                        map("'role': {'type': 'string', 'enum': ['member']}"),
                        "#/event/data/role/enum: " + BREAKS + "enum-value-removed]: removes the enum values 'admin', "
                                + "'guest'" + FIX),
                breaking("an enum is added to a plain string",
                        map("'role': {'type': 'string'}"),
                        map("'role': {'type': 'string', 'enum': ['admin', 'member']}"),
                        "#/event/data/role/enum: " + BREAKS + "enum-added]: adds 'enum', allowing only 'admin', "
                                + "'member'" + FIX),
                compatible("an enum is removed",
                        map("'role': {'type': 'string', 'enum': ['admin', 'member']}"),
                        map("'role': {'type': 'string'}"),
                        "#/event/data/role/enum: " + V1 + "enum-removed]: removes 'enum' 'admin', 'member'"),
                compatible("numeric enum values compare by value, so 1.50 is still 1.5",
                        map("'rate': {'type': 'number', 'enum': [1.5, 2]}"),
                        map("'rate': {'type': 'number', 'enum': [1.50, 2, 3]}"),
                        "#/event/data/rate/enum: " + V1 + "enum-value-added]: adds the enum value 3"),
                breaking("a constant is changed",
                        map("'kind': {'type': 'string', 'const': 'personal'}"),
                        map("'kind': {'type': 'string', 'const': 'business'}"),
                        "#/event/data/kind/const: " + BREAKS + "const-changed]: changes 'const' from 'personal' to "
                                + "'business'" + FIX),
                breaking("a constant is added to a boolean",
                        map("'active': {'type': 'boolean'}"),
                        map("'active': {'type': 'boolean', 'const': true}"),
                        "#/event/data/active/const: " + BREAKS + "const-added]: adds 'const', allowing only true"
                                + FIX),
                compatible("a constant is removed",
                        map("'kind': {'type': 'string', 'const': 'personal'}"),
                        map("'kind': {'type': 'string'}"),
                        "#/event/data/kind/const: " + V1 + "const-removed]: removes 'const' 'personal'"),

                // Numeric bounds.
                compatible("a minimum is lowered",
                        map("'age': {'type': 'integer', 'minimum': 18}"),
                        map("'age': {'type': 'integer', 'minimum': 16}"),
                        "#/event/data/age/minimum: " + V1 + "minimum-lowered]: lowers the lower bound from at least "
                                + "18 to at least 16"),
                breaking("a minimum is raised",
                        map("'age': {'type': 'integer', 'minimum': 16}"),
                        map("'age': {'type': 'integer', 'minimum': 18}"),
                        "#/event/data/age/minimum: " + BREAKS + "minimum-raised]: raises the lower bound from at "
                                + "least 16 to at least 18" + FIX),
                breaking("an exclusive minimum is added to a number",
                        map("'price': {'type': 'number'}"),
                        map("'price': {'type': 'number', 'exclusiveMinimum': 0}"),
                        "#/event/data/price/exclusiveMinimum: " + BREAKS + "minimum-raised]: adds the lower bound "
                                + "more than 0" + FIX),
                compatible("an integer's exclusive minimum of 0 is its minimum of 1, written otherwise",
                        map("'count': {'type': 'integer', 'exclusiveMinimum': 0}"),
                        map("'count': {'type': 'integer', 'minimum': 1}"),
                        "#/event: " + V1 + "same-meaning]: rewrites the schema without changing what it accepts"),
                breaking("a maximum is added",
                        map("'age': {'type': 'integer'}"),
                        map("'age': {'type': 'integer', 'maximum': 150}"),
                        "#/event/data/age/maximum: " + BREAKS + "maximum-lowered]: adds the upper bound at most 150"
                                + FIX),
                compatible("a maximum is removed",
                        map("'age': {'type': 'integer', 'maximum': 150}"),
                        map("'age': {'type': 'integer'}"),
                        "#/event/data/age/maximum: " + V1 + "maximum-raised]: removes the upper bound at most 150"),

                // String bounds, patterns and formats.
                breaking("a minLength is raised",
                        map("'name': {'type': 'string', 'minLength': 1}"),
                        map("'name': {'type': 'string', 'minLength': 2}"),
                        "#/event/data/name/minLength: " + BREAKS + "minLength-raised]: raises 'minLength' from 1 to 2"
                                + FIX),
                compatible("a minLength is removed",
                        map("'name': {'type': 'string', 'minLength': 1}"),
                        map("'name': {'type': 'string'}"),
                        "#/event/data/name/minLength: " + V1 + "minLength-lowered]: removes 'minLength' 1"),
                breaking("a maxLength is lowered",
                        map("'name': {'type': 'string', 'maxLength': 100}"),
                        map("'name': {'type': 'string', 'maxLength': 50}"),
                        "#/event/data/name/maxLength: " + BREAKS + "maxLength-lowered]: lowers 'maxLength' from 100 "
                                + "to 50" + FIX),
                compatible("a maxLength is raised",
                        map("'name': {'type': 'string', 'maxLength': 50}"),
                        map("'name': {'type': 'string', 'maxLength': 100}"),
                        "#/event/data/name/maxLength: " + V1 + "maxLength-raised]: raises 'maxLength' from 50 to 100"),
                compatible("a pattern is removed",
                        map("'code': {'type': 'string', 'pattern': '^[A-Z]{3}$'}"),
                        map("'code': {'type': 'string'}"),
                        "#/event/data/code/pattern: " + V1 + "pattern-removed]: removes 'pattern' ^[A-Z]{3}$"),
                breaking("a pattern is changed",
                        map("'code': {'type': 'string', 'pattern': '^[A-Z]+$'}"),
                        map("'code': {'type': 'string', 'pattern': '^[A-Z]{3}$'}"),
                        "#/event/data/code/pattern: " + BREAKS + "pattern-changed]: changes 'pattern' from ^[A-Z]+$ "
                                + "to ^[A-Z]{3}$" + FIX),
                breaking("a format is added",
                        map("'email': {'type': 'string'}"),
                        map("'email': {'type': 'string', 'format': 'email'}"),
                        "#/event/data/email/format: " + BREAKS + "format-changed]: adds 'format' email" + FIX),
                breaking("a format is changed",
                        map("'at': {'type': 'string', 'format': 'date'}"),
                        map("'at': {'type': 'string', 'format': 'date-time'}"),
                        "#/event/data/at/format: " + BREAKS + "format-changed]: changes 'format' from date to "
                                + "date-time" + FIX),
                compatible("a format is removed",
                        map("'id': {'type': 'string', 'format': 'uuid'}"),
                        map("'id': {'type': 'string'}"),
                        "#/event/data/id/format: " + V1 + "format-removed]: removes 'format' uuid"),

                // Arrays.
                breaking("the elements of an array change type",
                        map("'tags': {'type': 'array', 'items': {'type': 'string'}}"),
                        map("'tags': {'type': 'array', 'items': {'type': 'integer'}}"),
                        "#/event/data/tags/items/type: " + BREAKS + "type-changed]: changes the type from string to "
                                + "integer" + FIX),
                breaking("a property of an array's object elements is removed",
                        map("'lines': {'type': 'array', 'items': {'type': 'object', 'properties': "
                                + "{'sku': {'type': 'string'}, 'quantity': {'type': 'integer'}}}}"),
                        map("'lines': {'type': 'array', 'items': {'type': 'object', 'properties': "
                                + "{'quantity': {'type': 'integer'}}}}"),
                        "#/event/data/lines/items/properties/sku: " + BREAKS + "property-removed]: removes the "
                                + "property 'sku', which events stored at version 1 may hold" + FIX),
                breaking("minItems is raised",
                        map("'tags': {'type': 'array', 'items': {'type': 'string'}}"),
                        map("'tags': {'type': 'array', 'items': {'type': 'string'}, 'minItems': 1}"),
                        "#/event/data/tags/minItems: " + BREAKS + "minItems-raised]: adds 'minItems' 1" + FIX),
                breaking("maxItems is lowered",
                        map("'tags': {'type': 'array', 'items': {'type': 'string'}, 'maxItems': 10}"),
                        map("'tags': {'type': 'array', 'items': {'type': 'string'}, 'maxItems': 5}"),
                        "#/event/data/tags/maxItems: " + BREAKS + "maxItems-lowered]: lowers 'maxItems' from 10 to 5"
                                + FIX),
                compatible("fewer minItems and more maxItems",
                        map("'tags': {'type': 'array', 'items': {'type': 'string'}, 'minItems': 2, 'maxItems': 5}"),
                        map("'tags': {'type': 'array', 'items': {'type': 'string'}, 'minItems': 1, 'maxItems': 10}"),
                        "#/event/data/tags/minItems: " + V1 + "minItems-lowered]: lowers 'minItems' from 2 to 1",
                        "#/event/data/tags/maxItems: " + V1 + "maxItems-raised]: raises 'maxItems' from 5 to 10"),

                // Data and meta as a whole.
                breaking("data changes from an object to a string",
                        map("'email': {'type': 'string'}"),
                        "{'type': 'user:created', 'data': {'type': 'string'}}",
                        "#/event/data/type: " + BREAKS + "shape-changed]: changes data from an object to a string"
                                + FIX),
                breaking("data is removed",
                        map("'email': {'type': 'string'}"),
                        "{'type': 'user:created'}",
                        "#/event/data: " + BREAKS + "data-removed]: removes data, which events stored at version 1 "
                                + "have" + FIX),
                breaking("data is added to an event that had none",
                        "{'type': 'user:created'}",
                        map("'email': {'type': 'string'}"),
                        "#/event/data: " + BREAKS + "data-added]: adds data, which events stored at version 1 lack"
                                + FIX),
                breaking("meta is removed",
                        "{'type': 'user:created', 'data': {'type': 'string'}, 'meta': {'by': {'type': 'string'}}}",
                        "{'type': 'user:created', 'data': {'type': 'string'}}",
                        "#/event/meta: " + BREAKS + "meta-removed]: removes meta, which events stored at version 1 "
                                + "have" + FIX),
                breaking("meta is added",
                        "{'type': 'user:created', 'data': {'type': 'string'}}",
                        "{'type': 'user:created', 'data': {'type': 'string'}, 'meta': {'by': {'type': 'string'}}}",
                        "#/event/meta: " + BREAKS + "meta-added]: adds meta, which events stored at version 1 lack"
                                + FIX),
                compatible("a description is changed, which changes no JSON",
                        map("'email': {'type': 'string', 'description': 'Where to write.'}"),
                        map("'email': {'type': 'string', 'description': 'Where to write to.'}"),
                        "#/event/data/email/description: " + V1 + "annotation-changed]: changes 'description'"),
                breaking("several breaking changes are listed at once, a removed property where its object starts",
                        map("'email': {'type': 'string'}, 'age': {'type': 'integer'}, 'role': {'type': 'string'}"),
                        map("'email': {'type': 'string', 'maxLength': 80}, 'age': {'type': 'string'}"),
                        "#/event/data/role: " + BREAKS + "property-removed]: removes the property 'role', which "
                                + "events stored at version 1 may hold" + FIX,
                        "#/event/data/email/maxLength: " + BREAKS + "maxLength-lowered]: adds 'maxLength' 80" + FIX,
                        "#/event/data/age/type: " + BREAKS + "type-changed]: changes the type from integer to string"
                                + FIX),

                // The type as a whole: a new version, a retirement, a removal.
                compatible("a breaking change with a new version adds the version and keeps the old one",
                        map("'email': {'type': 'string'}"),
                        "{'type': 'user:created', 'version': 2, 'data': {'mail': {'type': 'string'}}}",
                        "#/event/version: 'user:created' version 2 [version-added]: adds version 2; version 1 stays "
                                + "locked as it is, read through UserCreatedUpcaster.fromV1"),
                compatible("a type is retired",
                        map("'email': {'type': 'string'}"),
                        "{'type': 'user:created', 'retired': true}",
                        "#/event/retired: 'user:created' [type-retired]: retires the event type; the lock keeps its "
                                + "version 1"),
                breaking("a type the lock holds is removed without retiring it",
                        map("'email': {'type': 'string'}"),
                        "{'type': 'user:registered', 'data': {'email': {'type': 'string'}}}",
                        "runestone.lock.json#/events/user:created: breaking change [type-removed]: the lock holds "
                                + "'user:created', but no config declares it, and events of it may be stored; restore "
                                + "its config, or retire the type with {'event': {'type': 'user:created', 'retired': "
                                + "true}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void a_change_is_judged_by_its_rule(String change, String before, String after, Verdict verdict,
            List<String> lines, @org.junit.jupiter.api.io.TempDir Path folder) throws IOException {
        build(folder, before).lock().write();

        Outcome outcome = outcome(folder, after);

        assertThat(outcome.verdict()).as(change).isEqualTo(verdict);
        assertThat(outcome.lines()).as(change).containsExactlyElementsOf(lines);
    }

    private record Outcome(Verdict verdict, List<String> lines) {
    }

    private static Outcome outcome(Path folder, String after) throws IOException {
        EventConfigException failure = catchThrowableOfType(EventConfigException.class, () -> build(folder, after));
        if (failure != null) {
            return new Outcome(Verdict.BREAKING, failure.problems().stream()
                    .map(problem -> problem.format(problem.file().getFileName().toString())).toList());
        }
        return new Outcome(Verdict.COMPATIBLE, build(folder, after).lock().changes().stream()
                .map(change -> change.format(change.file().getFileName().toString())).toList());
    }

    private static GeneratedSources build(Path folder, String event) throws IOException {
        Files.writeString(folder.resolve("user-created.json"), "{\"event\": " + event.replace('\'', '"') + "}");
        return EventCodeGenerator.builder().input(folder).packageName("com.example.events").interfaceName("UserEvent")
                .build().generate();
    }

    /** {@code user:created} with its data in the property-map form. */
    private static String map(String properties) {
        return "{'type': 'user:created', 'data': {" + properties + "}}";
    }

    /** {@code user:created} with its data a full schema of an object. */
    private static String full(String object) {
        return "{'type': 'user:created', 'data': {'type': 'object', " + object + "}}";
    }

    private static Arguments compatible(String change, String before, String after, String... lines) {
        return row(change, before, after, Verdict.COMPATIBLE, lines);
    }

    private static Arguments breaking(String change, String before, String after, String... lines) {
        return row(change, before, after, Verdict.BREAKING, lines);
    }

    private static Arguments row(String change, String before, String after, Verdict verdict, String... lines) {
        return Arguments.of(change, before, after, verdict, Stream.of(lines)
                .map(line -> (line.startsWith("#") ? "user-created.json" + line : line).replace('\'', '"')).toList());
    }
}
