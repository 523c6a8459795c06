package dev.runestone.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runestone.EventDecodingException;
import dev.runestone.EventValidationException;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.registry.EventRegistry;
import dev.runestone.registry.EventRegistry.EncodedEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles the sources generated from the test configs together with {@code scenarios/Scenarios.java}, code written
 * the way a user would write it, then uses them: switches, JSON round trips through the generated registry, and
 * events that break their rules.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GeneratedEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    private static JavaCompilation.Result compilation;
    private static Class<?> scenarios;
    private static EventRegistry<Object> registry;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void compile() throws Exception {
        Map<String, String> sources = new LinkedHashMap<>(TestEvents.sources(TestEvents.generate()));
        sources.put("com.example.events.Scenarios", TestEvents.read(TestEvents.resource("scenarios/Scenarios.java")));
        compilation = JavaCompilation.compile(workDir, sources);
        assertThat(compilation.success()).as("compiles: %s", compilation.diagnostics()).isTrue();
        scenarios = compilation.load("com.example.events.Scenarios");
        registry = (EventRegistry<Object>) compilation.load("com.example.events.UserEvent").getMethod("registry")
                .invoke(null);
    }

    @Test
    void the_generated_sources_compile_without_a_single_warning_under_Xlint_all() {
        assertThat(compilation.warnings()).isEmpty();
        assertThat(compilation.messages(javax.tools.Diagnostic.Kind.NOTE)).isEmpty();
    }

    @Nested
    class Switching {

        @Test
        void a_switch_over_the_sealed_interface_handles_every_event() {
            List<String> descriptions = samples().stream().map(event -> (String) scenario("describe", event))
                    .toList();

            assertThat(descriptions).contains("created Jane Doe <jane@example.com>", "email set to jane.doe@example.com",
                    "given name set to Janet", "activated", "role read-only, tags [beta, staff]",
                    "order of 2 lines to Oslo", "cancelled: OUT_OF_STOCK", "tags [GIFT, FRAGILE]",
                    "archived by archiver");
        }

        @Test
        void a_switch_that_leaves_out_an_event_does_not_compile(@TempDir Path dir) {
            Map<String, String> sources = new LinkedHashMap<>(TestEvents.sources(TestEvents.generate()));
            sources.put("com.example.events.Incomplete", """
                    package com.example.events;

                    class Incomplete {
                        static String describe(UserEvent event) {
                            return switch (event) {
                                case UserCreated created -> "created";
                                case UserEmailSet set -> "email";
                            };
                        }
                    }
                    """);

            JavaCompilation.Result result = JavaCompilation.compile(dir, sources);

            assertThat(result.success()).isFalse();
            assertThat(result.messages(javax.tools.Diagnostic.Kind.ERROR))
                    .anySatisfy(error -> assertThat(error).contains("does not cover all possible input values"));
        }

        @Test
        void the_interface_permits_exactly_one_record_per_event_type() throws Exception {
            Class<?> eventInterface = compilation.load("com.example.events.UserEvent");

            assertThat(eventInterface.isSealed()).isTrue();
            assertThat(eventInterface.getPermittedSubclasses()).extracting(Class::getSimpleName).containsExactly(
                    "OrderArchived", "OrderCancelled", "OrderPlaced", "OrderTagsSet", "UserActivated", "UserCreated",
                    "UserEmailSet", "UserNameGivenSet", "UserRolesSet");
            assertThat(eventInterface.getPermittedSubclasses()).allMatch(Class::isRecord);
        }
    }

    @Nested
    class Registry {

        @Test
        void knows_each_type_string_and_its_record() throws Exception {
            assertThat(registry.types()).containsExactlyInAnyOrder("user:created", "user:email-set",
                    "user:name:given-set", "user:activated", "user:roles-set", "order:placed", "order:cancelled",
                    "order:tags-set", "order:archived");
            assertThat(registry.classOf("user:name:given-set").getSimpleName()).isEqualTo("UserNameGivenSet");
            assertThat(registry.typeOf(compilation.load("com.example.events.UserCreated"))).isEqualTo("user:created");
        }

        @Test
        void every_event_survives_write_then_read_unchanged() {
            for (Object event : samples()) {
                EncodedEvent encoded = registry.encode(event);
                Object decoded = registry.decode(encoded.type(), encoded);

                assertThat(decoded).as(encoded.toString()).isEqualTo(event);
                assertThat(registry.encode(decoded)).isEqualTo(encoded);
            }
        }

        @Test
        void writes_json_names_enum_values_times_and_decimals_as_the_config_says() throws Exception {
            JsonNode data = JSON.readTree(registry.encode(samples().get(5)).data());

            assertThat(data.get("id").asText()).isEqualTo("7d444840-9dc0-11d1-b245-5ffdce74fad2");
            assertThat(data.get("placedAt").asText()).isEqualTo("2025-04-25T22:47:07+02:00");
            assertThat(data.get("deliverOn").asText()).isEqualTo("2025-05-02");
            assertThat(data.get("website").asText()).isEqualTo("https://shop.example.com/orders");
            assertThat(data.get("lines").get(1).get("unit-price").decimalValue()).isEqualByComparingTo("120.50");
            assertThat(registry.encode(samples().get(5)).data()).contains("\"unit-price\":120.50");
            assertThat(data.get("shipping-address").get("postal-code").asText()).isEqualTo("0155");
            assertThat(data.get("priority").asLong()).isEqualTo(1);
            assertThat(data.get("giftWrap").asBoolean()).isTrue();
            assertThat(JSON.readTree(registry.encode(samples().get(4)).data()).get("role").asText())
                    .isEqualTo("read-only");
            assertThat(registry.encode(samples().get(9)).data()).isEqualTo("[\"gift\",\"fragile\"]");
        }

        @Test
        void leaves_out_optional_properties_that_are_absent_but_writes_null_for_required_nullable_ones()
                throws Exception {
            JsonNode data = JSON.readTree(registry.encode(samples().get(6)).data());

            assertThat(data.has("website")).as("optional, absent").isFalse();
            assertThat(data.get("shipping-address").has("postal-code")).as("optional, absent").isFalse();
            assertThat(data.get("deliverOn").isNull()).as("required, may be null").isTrue();
            assertThat(data.get("note").isNull()).as("required, may be null").isTrue();
        }

        @Test
        void stores_a_plain_string_as_data_and_nothing_for_an_event_without_data_or_meta() {
            assertThat(registry.encode(samples().get(1))).isEqualTo(new EncodedEvent("user:email-set",
                    "\"jane.doe@example.com\"", "{\"auditor\":\"jane\"}"));
            assertThat(registry.encode(samples().get(3))).isEqualTo(new EncodedEvent("user:activated", null, null));
            assertThat(registry.encode(samples().get(10)).data()).isNull();
        }

        @Test
        void reads_an_event_written_by_hand() {
            Object decoded = registry.decode("user:created", new EncodedEvent("user:created",
                    "{\"name\": {\"given\": \"Jane\", \"family\": \"Doe\"}, \"email\": \"jane@example.com\"}",
                    "{\"auditor\": \"admin\"}"));

            assertThat(decoded).isEqualTo(samples().get(0));
        }
    }

    @Nested
    class Validation {

        @Test
        void a_missing_nested_value_is_reported_with_its_path() {
            assertThatThrownBy(() -> scenario("userCreated", null, "Doe", "jane@example.com"))
                    .isInstanceOf(EventValidationException.class)
                    .hasMessage("user:created is invalid: data.name.given: must not be null (required)")
                    .satisfies(e -> assertThat(((EventValidationException) e).violations())
                            .containsExactly(new Violation("data.name.given", "required", "must not be null")));
        }

        @Test
        void every_broken_rule_of_an_event_is_reported_at_once() {
            assertThatThrownBy(() -> scenario("userCreated", null, null, null))
                    .isInstanceOf(EventValidationException.class)
                    .satisfies(e -> assertThat(violations(e)).extracting(Violation::path)
                            .containsExactly("data.name.given", "data.name.family", "data.email"));
        }

        @Test
        void a_missing_meta_is_refused() {
            assertThatThrownBy(() -> scenario("userCreatedWithoutMeta"))
                    .satisfies(e -> assertThat(violations(e))
                            .containsExactly(new Violation("meta", "required", "must not be null")));
        }

        @Test
        void a_string_data_must_be_an_email_when_its_format_says_so() {
            assertThat(scenario("emailSet", "jane@example.com")).isNotNull();
            assertThatThrownBy(() -> scenario("emailSet", "jane at example.com"))
                    .hasMessage("user:email-set is invalid: data: must be an email address (format)");
        }

        @Test
        void string_lengths_are_counted_in_code_points() {
            String hundredEmoji = "\uD83D\uDE00".repeat(100);

            assertThat(scenario("givenNameSet", hundredEmoji)).isNotNull();
            assertThatThrownBy(() -> scenario("givenNameSet", ""))
                    .satisfies(e -> assertThat(violations(e)).containsExactly(
                            new Violation("data", "minLength", "must be at least 1 character long")));
            assertThatThrownBy(() -> scenario("givenNameSet", "x".repeat(101)))
                    .satisfies(e -> assertThat(violations(e)).containsExactly(
                            new Violation("data", "maxLength", "must be at most 100 characters long")));
        }

        @Test
        void list_elements_are_checked_one_by_one_with_their_index() {
            assertThatThrownBy(() -> scenario("rolesSet", Arrays.asList("staff", "", null)))
                    .satisfies(e -> assertThat(violations(e)).containsExactly(
                            new Violation("data.tags[1]", "minLength", "must be at least 1 character long"),
                            new Violation("data.tags[2]", "required", "must not be null")));
            assertThatThrownBy(() -> scenario("rolesSet", Collections.nCopies(11, "tag")))
                    .satisfies(e -> assertThat(violations(e)).containsExactly(
                            new Violation("data.tags", "maxItems", "must have at most 10 items")));
        }

        @Test
        void an_event_whose_data_is_a_list_checks_its_elements() throws Exception {
            Object gift = enumConstant("com.example.events.OrderTagsSet$DataItem", "GIFT");

            assertThatThrownBy(() -> scenario("tagsSet", Arrays.asList(gift, null)))
                    .satisfies(e -> assertThat(violations(e)).containsExactly(
                            new Violation("data[1]", "required", "must not be null")));
            assertThatThrownBy(() -> scenario("tagsSet", List.of(gift, gift, gift, gift)))
                    .satisfies(e -> assertThat(violations(e)).containsExactly(
                            new Violation("data", "maxItems", "must have at most 3 items")));
        }

        @Test
        void formats_bounds_patterns_constants_and_nested_lists_are_all_checked() {
            List<Object> lines = Arrays.asList(scenario("line", "bad", 0L, "0"), null);

            assertThatThrownBy(() -> scenario("orderPlaced", lines, "shipped", "nobody",
                    URI.create("orders/1")))
                    .satisfies(e -> assertThat(violations(e)).containsExactly(
                            new Violation("data.customer", "format", "must be an email address"),
                            new Violation("data.website", "format", "must be an absolute URI"),
                            new Violation("data.lines[0].sku", "pattern", "must match ^[A-Z]{3}-[0-9]{4}$"),
                            new Violation("data.lines[0].quantity", "minimum", "must be at least 1"),
                            new Violation("data.lines[0].unit-price", "exclusiveMinimum", "must be greater than 0"),
                            new Violation("data.lines[1]", "required", "must not be null"),
                            new Violation("data.status", "const", "must be \"placed\"")));
        }

        @Test
        void a_list_with_too_few_elements_is_refused() {
            assertThatThrownBy(() -> scenario("orderPlaced", List.of(), "placed"))
                    .satisfies(e -> assertThat(violations(e)).containsExactly(
                            new Violation("data.lines", "minItems", "must have at least 1 item")));
        }
    }

    @Nested
    class Decoding {

        @Test
        void stored_json_that_breaks_a_rule_cannot_become_an_event() {
            EncodedEvent stored = new EncodedEvent("user:created",
                    "{\"name\": {\"given\": null, \"family\": \"Doe\"}, \"email\": \"jane@example.com\"}",
                    "{\"auditor\": \"admin\"}");

            assertThatThrownBy(() -> registry.decode("user:created", stored))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("data.name.given: must not be null")
                    .cause().isInstanceOf(EventValidationException.class);
        }

        @Test
        void a_missing_property_is_reported_like_a_null_one() {
            EncodedEvent stored = new EncodedEvent("user:created", "{\"name\": {\"family\": \"Doe\"}}",
                    "{\"auditor\": \"admin\"}");

            assertThatThrownBy(() -> registry.decode("user:created", stored))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("data.name.given: must not be null (required)")
                    .hasMessageContaining("data.email: must not be null (required)");
        }

        @Test
        void a_property_the_schema_does_not_declare_is_refused() {
            EncodedEvent stored = new EncodedEvent("user:created",
                    "{\"name\": {\"given\": \"Jane\", \"family\": \"Doe\"}, \"email\": \"j@example.com\", \"x\": 1}",
                    "{\"auditor\": \"admin\"}");

            assertThatThrownBy(() -> registry.decode("user:created", stored))
                    .isInstanceOfSatisfying(EventDecodingException.class, failure ->
                            assertThat(failure.violations()).extracting(Violation::path, Violation::rule)
                                    .containsExactly(tuple("data.x", "additionalProperties")))
                    .hasMessageContaining("data.x");
        }

        @Test
        void an_enum_value_the_schema_does_not_list_is_refused() {
            EncodedEvent stored = new EncodedEvent("user:roles-set", "{\"role\": \"owner\", \"tags\": []}",
                    "{\"auditor\": \"admin\"}");

            assertThatThrownBy(() -> registry.decode("user:roles-set", stored))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("owner");
        }

        @Test
        void a_missing_required_integer_is_refused_rather_than_read_as_zero() throws Exception {
            ObjectNodeEditor order = new ObjectNodeEditor(registry.encode(samples().get(5)).data());
            order.remove("priority");

            assertThatThrownBy(() -> registry.decode("order:placed",
                    new EncodedEvent("order:placed", order.json(), registry.encode(samples().get(5)).meta())))
                    .isInstanceOfSatisfying(EventDecodingException.class, failure ->
                            assertThat(failure.violations()).extracting(Violation::path, Violation::rule)
                                    .containsExactly(tuple("data.priority", "required")));
        }
    }

    @Nested
    class Immutability {

        @Test
        void a_record_keeps_its_own_copy_of_a_list() {
            @SuppressWarnings("unchecked")
            List<String> tags = (List<String>) scenario("mutableTags");
            Object event = scenario("rolesSet", tags);

            tags.add("c");

            assertThat(tags(event)).containsExactly("a", "b");
        }

        @Test
        void the_lists_of_a_record_cannot_be_changed() throws Exception {
            List<String> tags = tags(scenario("rolesSet", new ArrayList<>(List.of("a"))));
            Object tagsSet = samples().get(9);
            @SuppressWarnings("unchecked")
            List<Object> data = (List<Object>) tagsSet.getClass().getMethod("data").invoke(tagsSet);

            assertThatThrownBy(() -> tags.add("b")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> data.clear()).isInstanceOf(UnsupportedOperationException.class);
        }

        @SuppressWarnings("unchecked")
        private List<String> tags(Object rolesSet) {
            try {
                Object data = rolesSet.getClass().getMethod("data").invoke(rolesSet);
                return (List<String>) data.getClass().getMethod("tags").invoke(data);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Nested
    class Documentation {

        @Test
        void deprecated_events_and_properties_are_marked_deprecated() throws Exception {
            assertThat(compilation.load("com.example.events.OrderCancelled").isAnnotationPresent(Deprecated.class))
                    .isTrue();
            assertThat(compilation.load("com.example.events.OrderPlaced$Data").getMethod("note")
                    .isAnnotationPresent(Deprecated.class)).isTrue();
            assertThat(compilation.load("com.example.events.OrderPlaced").isAnnotationPresent(Deprecated.class))
                    .isFalse();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static List<Object> samples() {
        return (List<Object>) scenario("samples");
    }

    /** Calls a static method of {@code Scenarios}, throwing what it throws. */
    private static Object scenario(String name, Object... arguments) {
        for (Method method : scenarios.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
                try {
                    return method.invoke(null, arguments);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new AssertionError(e.getCause());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("Scenarios has no method " + name + " with " + arguments.length + " arguments");
    }

    private static List<Violation> violations(Throwable e) {
        assertThat(e).isInstanceOf(EventValidationException.class);
        return ((EventValidationException) e).violations();
    }

    private static Object enumConstant(String className, String name) throws ClassNotFoundException {
        for (Object constant : compilation.load(className).getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(name)) {
                return constant;
            }
        }
        throw new AssertionError(className + " has no constant " + name);
    }

    /** Edits stored JSON to make it break a rule. */
    private static final class ObjectNodeEditor {

        private final com.fasterxml.jackson.databind.node.ObjectNode node;

        ObjectNodeEditor(String json) throws Exception {
            this.node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json);
        }

        void remove(String property) {
            node.remove(property);
        }

        String json() throws Exception {
            return JSON.writeValueAsString(node);
        }
    }
}
