package dev.runestone.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.runestone.EventDecodingException;
import dev.runestone.EventValidationException;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.UnknownEventTypeException;
import dev.runestone.UnknownEventVersionException;
import dev.runestone.registry.EventRegistry.EncodedEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventRegistryTest {

    sealed interface ShopEvent permits OrderPlaced, OrderNoted, OrderCleared, OrderAudited, OrderRated, PaymentEvent {
    }

    enum Currency { EUR, NOK }

    record Address(String street, String city) {
    }

    record Line(String sku, int quantity, BigDecimal price) {
    }

    record Order(UUID orderId, List<Line> lines, Instant placedAt, BigDecimal total, Currency currency,
            Address shipTo, @Nullable String comment) {
    }

    record Actor(String id, List<String> roles) {
    }

    /** Data and meta, with nested records, a list, an instant, a decimal, an enum and a UUID. */
    record OrderPlaced(Order data, Actor meta) implements ShopEvent {
    }

    /** Data only, a bare string. */
    record OrderNoted(String data) implements ShopEvent {
    }

    /** Neither data nor meta. */
    record OrderCleared() implements ShopEvent {
    }

    /** Meta only. */
    record OrderAudited(Actor meta) implements ShopEvent {
    }

    /** A record whose compact constructor holds a rule of its own. */
    record OrderRated(Integer data) implements ShopEvent {

        OrderRated {
            if (data < 1 || data > 5) {
                throw new IllegalArgumentException("a rating is 1 to 5, was " + data);
            }
        }
    }

    /** A sealed branch: its records must be registered too. */
    sealed interface PaymentEvent extends ShopEvent permits PaymentTaken, PaymentRefunded {
    }

    record PaymentTaken(BigDecimal data) implements PaymentEvent {
    }

    record PaymentRefunded(BigDecimal data) implements PaymentEvent {
    }

    /** Not sealed, so registries of it build with any subset of records. */
    interface LooseEvent {
    }

    record Pinged(String data) implements LooseEvent {
    }

    record Ponged(String data) implements LooseEvent {
    }

    record Tallied(int data) implements LooseEvent {
    }

    /** Any JSON value: maps, lists and strings, to build shapes near the limits. */
    record Tree(Object data) implements LooseEvent {
    }

    record Ratio(double data) implements LooseEvent {
    }

    record Amount(BigDecimal data) implements LooseEvent {
    }

    record Annotated(String data, String note) implements LooseEvent {
    }

    static final class NotARecord implements LooseEvent {
    }

    private static final Order ORDER = new Order(
            UUID.fromString("0192f0c4-5e9a-7c3b-8d2e-4f5a6b7c8d9e"),
            List.of(new Line("rune-01", 2, new BigDecimal("12.50")), new Line("rune-02", 1, new BigDecimal("0.10"))),
            Instant.parse("2026-11-26T05:35:58.123456789Z"),
            new BigDecimal("25.10000000000000000001"),
            Currency.NOK,
            new Address("Runeveien 1", "Bergen"),
            null);
    private static final Actor ADMIN = new Actor("admin", List.of("ops", "billing"));

    private static EventRegistry<ShopEvent> shop() {
        return EventRegistry.builder(ShopEvent.class)
                .register("order:placed", OrderPlaced.class)
                .register("order:noted", OrderNoted.class, note -> note.data().isBlank()
                        ? List.of(new Violation("data", "minLength", "must not be blank"))
                        : List.of())
                .register("order:cleared", OrderCleared.class)
                .register("order:audited", OrderAudited.class)
                .register("order:rated", OrderRated.class)
                .register("payment:taken", PaymentTaken.class)
                .register("payment:refunded", PaymentRefunded.class)
                .build();
    }

    private static EventRegistry<LooseEvent> loose() {
        return EventRegistry.builder(LooseEvent.class)
                .register("ping", Pinged.class)
                .register("tally", Tallied.class)
                .build();
    }

    @Nested
    class Encoding {

        @Test
        void round_trips_a_record_with_data_and_meta() {
            EventRegistry<ShopEvent> registry = shop();
            OrderPlaced placed = new OrderPlaced(ORDER, ADMIN);

            EncodedEvent encoded = registry.encode(placed);
            ShopEvent decoded = registry.decode(encoded.type(), encoded);

            assertThat(encoded.type()).isEqualTo("order:placed");
            assertThat(decoded).isEqualTo(placed);
        }

        @Test
        void writes_data_and_meta_as_separate_json_documents() {
            EncodedEvent encoded = shop().encode(new OrderPlaced(ORDER, ADMIN));

            assertThat(encoded.data())
                    .contains("\"orderId\":\"0192f0c4-5e9a-7c3b-8d2e-4f5a6b7c8d9e\"")
                    .contains("\"placedAt\":\"2026-11-26T05:35:58.123456789Z\"")
                    .contains("\"total\":25.10000000000000000001")
                    .contains("\"currency\":\"NOK\"")
                    .contains("\"shipTo\":{\"street\":\"Runeveien 1\",\"city\":\"Bergen\"}")
                    .doesNotContain("admin");
            assertThat(encoded.meta()).isEqualTo("{\"id\":\"admin\",\"roles\":[\"ops\",\"billing\"]}");
        }

        @Test
        void keeps_every_digit_and_the_scale_of_decimals() {
            EventRegistry<ShopEvent> registry = shop();
            PaymentTaken payment = new PaymentTaken(new BigDecimal("1234567890.123456789012345678900"));

            ShopEvent decoded = registry.decode("payment:taken", registry.encode(payment));

            assertThat(decoded).isEqualTo(payment);
            assertThat(((PaymentTaken) decoded).data().scale()).isEqualTo(21);
        }

        @Test
        void round_trips_a_record_with_only_a_string_as_data() {
            EventRegistry<ShopEvent> registry = shop();
            OrderNoted noted = new OrderNoted("leave at the \"back\" door\nplease");

            EncodedEvent encoded = registry.encode(noted);

            assertThat(encoded.data()).isEqualTo("\"leave at the \\\"back\\\" door\\nplease\"");
            assertThat(encoded.meta()).isNull();
            assertThat(registry.decode("order:noted", encoded)).isEqualTo(noted);
        }

        @Test
        void encodes_null_for_both_parts_of_a_record_without_components() {
            EventRegistry<ShopEvent> registry = shop();

            EncodedEvent encoded = registry.encode(new OrderCleared());

            assertThat(encoded).isEqualTo(new EncodedEvent("order:cleared", null, null));
            assertThat(registry.decode("order:cleared", encoded)).isEqualTo(new OrderCleared());
        }

        @Test
        void encodes_null_data_for_a_record_with_only_meta() {
            EventRegistry<ShopEvent> registry = shop();
            OrderAudited audited = new OrderAudited(ADMIN);

            EncodedEvent encoded = registry.encode(audited);

            assertThat(encoded.data()).isNull();
            assertThat(encoded.meta()).isNotNull();
            assertThat(registry.decode("order:audited", encoded)).isEqualTo(audited);
        }

        @Test
        void decodes_missing_stored_json_as_a_null_component() {
            EventRegistry<ShopEvent> registry = shop();

            ShopEvent decoded = registry.decode("order:placed", new EncodedEvent("order:placed", null, null));

            assertThat(decoded).isEqualTo(new OrderPlaced(null, null));
        }
    }

    @Nested
    class Types {

        @Test
        void tells_the_type_string_of_a_class() {
            EventRegistry<ShopEvent> registry = shop();

            assertThat(registry.typeOf(OrderPlaced.class)).isEqualTo("order:placed");
            assertThat(registry.typeOf(PaymentRefunded.class)).isEqualTo("payment:refunded");
        }

        @Test
        void tells_the_class_of_a_type_string() {
            EventRegistry<ShopEvent> registry = shop();

            assertThat(registry.classOf("order:noted")).isEqualTo(OrderNoted.class);
            assertThat(registry.classOf("payment:taken")).isEqualTo(PaymentTaken.class);
        }

        @Test
        void lists_every_registered_type_and_the_common_supertype() {
            EventRegistry<ShopEvent> registry = shop();

            assertThat(registry.types()).containsExactlyInAnyOrder("order:placed", "order:noted", "order:cleared",
                    "order:audited", "order:rated", "payment:taken", "payment:refunded");
            assertThat(registry.eventType()).isEqualTo(ShopEvent.class);
        }

        @Test
        void refuses_an_unknown_class_and_tells_how_to_register_it() {
            EventRegistry<LooseEvent> registry = loose();

            assertThatThrownBy(() -> registry.typeOf(Ponged.class))
                    .isExactlyInstanceOf(UnknownEventTypeException.class)
                    .hasMessageContaining(Ponged.class.getName())
                    .hasMessageContaining("EventRegistry.builder(LooseEvent.class).register(\"<type>\", Ponged.class)")
                    .hasMessageContaining("Registered: [ping, tally]");
        }

        @Test
        void refuses_to_encode_or_validate_an_event_of_an_unknown_class() {
            EventRegistry<LooseEvent> registry = loose();
            Ponged unknown = new Ponged("pong");

            assertThatThrownBy(() -> registry.encode(unknown))
                    .isExactlyInstanceOf(UnknownEventTypeException.class)
                    .hasMessageContaining("Ponged");
            assertThatThrownBy(() -> registry.validate(unknown))
                    .isExactlyInstanceOf(UnknownEventTypeException.class)
                    .hasMessageContaining("Ponged");
        }

        @Test
        void refuses_an_unknown_type_string_and_lists_the_registered_ones() {
            EventRegistry<LooseEvent> registry = loose();

            assertThatThrownBy(() -> registry.classOf("pong"))
                    .isExactlyInstanceOf(UnknownEventTypeException.class)
                    .hasMessage("Event type 'pong' is not registered. Registered: [ping, tally]");
        }

        @Test
        void refuses_to_decode_an_unknown_type_string() {
            EventRegistry<LooseEvent> registry = loose();

            assertThatThrownBy(() -> registry.decode("pong", new EncodedEvent("pong", "\"x\"", null)))
                    .isExactlyInstanceOf(UnknownEventTypeException.class)
                    .hasMessageContaining("'pong'")
                    .hasMessageContaining("[ping, tally]");
        }
    }

    @Nested
    class Registration {

        @Test
        void refuses_a_class_that_is_not_a_record() {
            EventRegistry.Builder<LooseEvent> builder = EventRegistry.builder(LooseEvent.class);

            assertThatIllegalArgumentException().isThrownBy(() -> builder.register("odd", NotARecord.class))
                    .withMessageContaining(NotARecord.class.getName())
                    .withMessageContaining("'odd'")
                    .withMessageContaining("must be a record");
        }

        @Test
        void refuses_a_record_with_a_component_other_than_data_and_meta() {
            EventRegistry.Builder<LooseEvent> builder = EventRegistry.builder(LooseEvent.class);

            assertThatIllegalArgumentException().isThrownBy(() -> builder.register("annotated", Annotated.class))
                    .withMessageContaining(Annotated.class.getName())
                    .withMessageContaining("'note'");
        }

        @Test
        void refuses_a_type_string_registered_twice() {
            EventRegistry.Builder<LooseEvent> builder = EventRegistry.builder(LooseEvent.class)
                    .register("ping", Pinged.class);

            assertThatIllegalArgumentException().isThrownBy(() -> builder.register("ping", Ponged.class))
                    .withMessageContaining("'ping' is registered twice")
                    .withMessageContaining(Pinged.class.getName())
                    .withMessageContaining(Ponged.class.getName());
        }

        @Test
        void refuses_a_class_registered_twice() {
            EventRegistry.Builder<LooseEvent> builder = EventRegistry.builder(LooseEvent.class)
                    .register("ping", Pinged.class);

            assertThatIllegalArgumentException().isThrownBy(() -> builder.register("ping:v2", Pinged.class))
                    .withMessageContaining(Pinged.class.getName() + " is registered twice")
                    .withMessageContaining("'ping'")
                    .withMessageContaining("'ping:v2'");
        }

        @Test
        void refuses_a_blank_type_string() {
            EventRegistry.Builder<LooseEvent> builder = EventRegistry.builder(LooseEvent.class);

            assertThatIllegalArgumentException().isThrownBy(() -> builder.register(" ", Pinged.class))
                    .withMessageContaining("blank");
        }

        @Test
        void refuses_a_type_string_that_is_not_printable_well_formed_unicode() {
            EventRegistry.Builder<LooseEvent> builder = EventRegistry.builder(LooseEvent.class);

            assertThatIllegalArgumentException().isThrownBy(() -> builder.register("ping\uD800", Pinged.class))
                    .withMessageContaining("surrogate");
            assertThatIllegalArgumentException().isThrownBy(() -> builder.register("ping\n", Pinged.class))
                    .withMessageContaining("control");
            assertThatIllegalArgumentException().isThrownBy(() -> builder.register("p".repeat(513), Pinged.class))
                    .withMessageContaining("512");
        }

        @Test
        void refuses_to_build_a_sealed_registry_with_an_unregistered_record() {
            EventRegistry.Builder<ShopEvent> builder = EventRegistry.builder(ShopEvent.class)
                    .register("order:placed", OrderPlaced.class)
                    .register("order:noted", OrderNoted.class)
                    .register("order:cleared", OrderCleared.class)
                    .register("order:audited", OrderAudited.class)
                    .register("order:rated", OrderRated.class)
                    .register("payment:taken", PaymentTaken.class);

            assertThatIllegalStateException().isThrownBy(builder::build)
                    .withMessageContaining(PaymentRefunded.class.getName())
                    .withMessageNotContaining(PaymentTaken.class.getName())
                    .withMessageContaining(ShopEvent.class.getName());
        }

        @Test
        void names_every_unregistered_record_of_a_sealed_type() {
            EventRegistry.Builder<ShopEvent> builder = EventRegistry.builder(ShopEvent.class)
                    .register("order:placed", OrderPlaced.class);

            assertThatIllegalStateException().isThrownBy(builder::build)
                    .withMessageContaining(OrderNoted.class.getName())
                    .withMessageContaining(OrderCleared.class.getName())
                    .withMessageContaining(PaymentRefunded.class.getName())
                    .withMessageNotContaining("$OrderPlaced");
        }

        @Test
        void builds_a_registry_of_an_open_supertype_with_any_subset_of_records() {
            EventRegistry<LooseEvent> registry = EventRegistry.builder(LooseEvent.class)
                    .register("ping", Pinged.class)
                    .build();

            assertThat(registry.types()).containsExactly("ping");
        }

        @Test
        void is_not_changed_by_registrations_made_after_it_was_built() {
            EventRegistry.Builder<LooseEvent> builder = EventRegistry.builder(LooseEvent.class)
                    .register("ping", Pinged.class);
            EventRegistry<LooseEvent> registry = builder.build();

            builder.register("pong", Ponged.class);

            assertThat(registry.types()).containsExactly("ping");
        }
    }

    @Nested
    class Validation {

        @Test
        void returns_the_violations_the_validator_finds() {
            List<Violation> violations = shop().validate(new OrderNoted("  "));

            assertThat(violations).containsExactly(new Violation("data", "minLength", "must not be blank"));
        }

        @Test
        void returns_no_violations_for_a_valid_event() {
            assertThat(shop().validate(new OrderNoted("fragile"))).isEmpty();
        }

        @Test
        void returns_no_violations_for_a_type_without_a_validator() {
            assertThat(shop().validate(new OrderPlaced(ORDER, ADMIN))).isEmpty();
        }

        @Test
        void returns_a_copy_the_validator_cannot_change_later() {
            List<Violation> found = new ArrayList<>();
            EventRegistry<LooseEvent> registry = EventRegistry.builder(LooseEvent.class)
                    .register("ping", Pinged.class, ping -> {
                        found.add(new Violation("data", "pattern", "must be ping"));
                        return found;
                    })
                    .build();

            List<Violation> violations = registry.validate(new Pinged("pong"));
            found.clear();

            assertThat(violations).hasSize(1);
        }
    }

    @Nested
    class Decoding_failures {

        private EventDecodingException failure(EventRegistry<?> registry, String type, @Nullable String data,
                @Nullable String meta) {
            try {
                registry.decode(type, new EncodedEvent(type, data, meta));
            } catch (EventDecodingException e) {
                return e;
            }
            throw new AssertionError("decoded " + data + " / " + meta + " as " + type);
        }

        @Test
        void name_the_json_path_of_an_unknown_property_not_a_java_class() {
            EventDecodingException failure = failure(shop(), "order:audited", null,
                    "{\"id\":\"admin\",\"roles\":[],\"shoeSize\":44}");

            assertThat(failure.violations()).extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("meta.shoeSize", "additionalProperties"));
            assertThat(failure).hasMessageContaining("order:audited").hasMessageContaining("meta.shoeSize")
                    .hasMessageNotContaining("$");
        }

        @Test
        void name_the_path_of_a_nested_unknown_property() {
            String data = shop().encode(new OrderPlaced(ORDER, ADMIN)).data()
                    .replace("\"city\":\"Bergen\"", "\"city\":\"Bergen\",\"citty\":\"x\"");

            assertThat(failure(shop(), "order:placed", data, "{\"id\":\"a\",\"roles\":[]}").violations())
                    .extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data.shipTo.citty", "additionalProperties"));
        }

        @Test
        void say_which_json_type_was_expected_when_the_shape_is_wrong() {
            EventDecodingException failure = failure(shop(), "order:noted", "{\"text\":\"hello\"}", null);

            assertThat(failure.violations()).singleElement().satisfies(violation -> {
                assertThat(violation.path()).isEqualTo("data");
                assertThat(violation.rule()).isEqualTo("type");
                assertThat(violation.message()).isEqualTo("must be a string, not an object");
            });
        }

        @Test
        void name_an_enum_value_the_record_does_not_have() {
            String data = shop().encode(new OrderPlaced(ORDER, ADMIN)).data().replace("\"NOK\"", "\"DOGE\"");

            assertThat(failure(shop(), "order:placed", data, "{\"id\":\"a\",\"roles\":[]}").violations())
                    .extracting(Violation::path, Violation::rule).containsExactly(tuple("data.currency", "enum"));
        }

        @Test
        void refuse_text_that_is_not_one_json_value() {
            assertThat(failure(shop(), "payment:taken", "12,50", null).violations())
                    .extracting(Violation::path, Violation::rule).containsExactly(tuple("data", "json"));
            assertThat(failure(shop(), "payment:taken", "nope", null).violations())
                    .extracting(Violation::rule).containsExactly("json");
        }

        @Test
        void carry_the_reason_when_the_record_constructor_rejects_the_stored_values() {
            EventDecodingException failure = failure(shop(), "order:rated", "7", null);

            assertThat(failure).hasMessageContaining("order:rated").hasMessageContaining("a rating is 1 to 5, was 7")
                    .cause().isExactlyInstanceOf(IllegalArgumentException.class);
            assertThat(failure.violations()).extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data", "constructor"));
        }

        @Test
        void refuse_stored_json_that_lacks_a_primitive_component() {
            assertThat(failure(loose(), "tally", null, null).violations())
                    .extracting(Violation::path, Violation::rule).containsExactly(tuple("data", "required"));
        }

        @Test
        void refuse_a_primitive_component_stored_as_json_null() {
            assertThat(failure(loose(), "tally", "null", null).violations())
                    .extracting(Violation::path, Violation::rule).containsExactly(tuple("data", "type"));
        }

        @Test
        void refuse_stored_json_for_a_part_the_record_does_not_have() {
            assertThat(failure(shop(), "order:cleared", "{\"old\":true}", "{\"by\":\"x\"}").violations())
                    .extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data", "additionalProperties"), tuple("meta", "additionalProperties"));
        }

        @Test
        void report_both_parts_at_once() {
            assertThat(failure(shop(), "order:placed", "[]", "{\"id\":7,\"roles\":[]}").violations())
                    .extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data", "type"), tuple("meta.id", "type"));
        }
    }

    /** Stored JSON that Jackson would bend into a value is refused: the stored text must be the value. */
    @Nested
    class Strict_decoding {

        private static final String LINE = "{\"sku\":\"rune-01\",\"quantity\":2,\"price\":12.50}";

        private String order(String line, String placedAt) {
            return "{\"orderId\":\"0192f0c4-5e9a-7c3b-8d2e-4f5a6b7c8d9e\",\"lines\":[" + line + "],"
                    + "\"placedAt\":" + placedAt + ",\"total\":25.10,\"currency\":\"NOK\","
                    + "\"shipTo\":{\"street\":\"Runeveien 1\",\"city\":\"Bergen\"},\"comment\":null}";
        }

        private List<Violation> violations(String data) {
            try {
                shop().decode("order:placed", new EncodedEvent("order:placed", data, "{\"id\":\"a\",\"roles\":[]}"));
            } catch (EventDecodingException e) {
                return e.violations();
            }
            throw new AssertionError("decoded " + data);
        }

        @Test
        void reads_the_well_typed_order() {
            ShopEvent decoded = shop().decode("order:placed", new EncodedEvent("order:placed",
                    order(LINE, "\"2026-11-26T05:35:58Z\""), "{\"id\":\"a\",\"roles\":[]}"));

            assertThat(decoded).isInstanceOf(OrderPlaced.class);
        }

        @Test
        void does_not_read_a_number_or_a_boolean_as_a_string() {
            assertThat(violations(order(LINE.replace("\"rune-01\"", "42"), "\"2026-11-26T05:35:58Z\"")))
                    .extracting(Violation::path, Violation::rule, Violation::message)
                    .containsExactly(tuple("data.lines[0].sku", "type", "must be a string, not the integer 42"));
            assertThat(violations(order(LINE.replace("\"rune-01\"", "true"), "\"2026-11-26T05:35:58Z\"")))
                    .extracting(Violation::path, Violation::rule).containsExactly(tuple("data.lines[0].sku", "type"));
        }

        @Test
        void does_not_truncate_a_fraction_into_an_integer() {
            assertThat(violations(order(LINE.replace("2,", "1.5,"), "\"2026-11-26T05:35:58Z\"")))
                    .extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data.lines[0].quantity", "type"));
        }

        @Test
        void does_not_read_a_string_as_a_number() {
            assertThat(violations(order(LINE.replace("12.50", "\"12.50\""), "\"2026-11-26T05:35:58Z\"")))
                    .extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data.lines[0].price", "type"));
        }

        @Test
        void does_not_read_a_number_as_a_time() {
            assertThat(violations(order(LINE, "1764135358")))
                    .extracting(Violation::path, Violation::rule).containsExactly(tuple("data.placedAt", "type"));
            assertThat(violations(order(LINE, "\"yesterday\"")))
                    .extracting(Violation::path, Violation::rule).containsExactly(tuple("data.placedAt", "format"));
        }

        @Test
        void refuses_a_decimal_longer_than_the_limit_written_out_in_full() {
            assertThat(violations(order(LINE.replace("12.50", "1e999999"), "\"2026-11-26T05:35:58Z\"")))
                    .extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data.lines[0].price", "maxNumberLength"));
        }

        @Test
        void refuses_a_missing_primitive_instead_of_reading_zero() {
            assertThat(violations(order(LINE.replace("\"quantity\":2,", ""), "\"2026-11-26T05:35:58Z\"")))
                    .extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data.lines[0].quantity", "required"));
        }

        @Test
        void refuses_a_property_given_twice() {
            assertThat(violations(order(LINE.replace("\"quantity\":2,", "\"quantity\":2,\"quantity\":3,"),
                    "\"2026-11-26T05:35:58Z\"")))
                    .extracting(Violation::rule).containsExactly("uniqueProperties");
        }

        @Test
        void refuses_a_floating_point_number_beyond_the_range_of_a_double() {
            EventRegistry<LooseEvent> registry = EventRegistry.builder(LooseEvent.class)
                    .register("ratio", Ratio.class).build();

            assertThatThrownBy(() -> registry.decode("ratio", new EncodedEvent("ratio", "1e999", null)))
                    .isInstanceOfSatisfying(EventDecodingException.class, failure ->
                            assertThat(failure.violations()).extracting(Violation::rule).containsExactly("type"));
            assertThatThrownBy(() -> registry.decode("ratio", new EncodedEvent("ratio", "1e-999", null)))
                    .isInstanceOf(EventDecodingException.class);
            assertThat(registry.decode("ratio", new EncodedEvent("ratio", "\"NaN\"", null)))
                    .isEqualTo(new Ratio(Double.NaN));
        }
    }

    /** What the registry writes, it reads back equal; what it could not, it refuses to write. */
    @Nested
    class Limits {

        private final EventLimits small = EventLimits.defaults().withMaxNestingDepth(3).withMaxStringLength(10)
                .withMaxNameLength(5).withMaxNumberLength(12).withMaxEventBytes(200);

        private EventRegistry<LooseEvent> registry(EventLimits limits) {
            return EventRegistry.builder(LooseEvent.class)
                    .register("tree", Tree.class)
                    .register("ratio", Ratio.class)
                    .register("amount", Amount.class)
                    .register("ping", Pinged.class)
                    .limits(limits)
                    .build();
        }

        private List<Violation> refusal(LooseEvent event) {
            try {
                EncodedEvent encoded = registry(small).encode(event);
                throw new AssertionError("encoded " + event + " as " + encoded);
            } catch (EventValidationException e) {
                return e.violations();
            }
        }

        private void roundTrips(LooseEvent event) {
            EventRegistry<LooseEvent> registry = registry(small);
            EncodedEvent encoded = registry.encode(event);
            assertThat(registry.decode(encoded.type(), encoded)).isEqualTo(event);
        }

        @Test
        void hold_values_exactly_at_each_limit() {
            roundTrips(new Tree(List.of(List.of(List.of("x")))));
            roundTrips(new Pinged("x".repeat(10)));
            roundTrips(new Tree(Map.of("abcde", "v")));
            roundTrips(new Amount(new BigDecimal("-1234567.890")));
            roundTrips(new Amount(new BigDecimal("0.000000001")));
        }

        @Test
        void refuse_nesting_deeper_than_the_limit_naming_where() {
            assertThat(refusal(new Tree(Map.of("a", List.of(List.of(List.of("x")))))))
                    .extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data.a[0][0]", "maxNestingDepth"));
        }

        @Test
        void refuse_strings_and_names_longer_than_the_limit() {
            assertThat(refusal(new Pinged("x".repeat(11)))).extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data", "maxStringLength"));
            assertThat(refusal(new Tree(Map.of("abcdef", "v")))).extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data.abcdef", "maxNameLength"));
        }

        @Test
        void refuse_numbers_longer_than_the_limit_written_out_in_full() {
            assertThat(refusal(new Amount(new BigDecimal("1234567890123"))))
                    .extracting(Violation::rule).containsExactly("maxNumberLength");
            // Short as 1E-999999, a million characters as PostgreSQL would give it back.
            assertThat(refusal(new Amount(new BigDecimal("1E-999999"))))
                    .extracting(Violation::rule).containsExactly("maxNumberLength");
            assertThat(refusal(new Ratio(1e300))).extracting(Violation::rule).containsExactly("maxNumberLength");
        }

        @Test
        void refuse_what_a_database_would_give_back_changed() {
            assertThat(refusal(new Amount(new BigDecimal("1E+3"))))
                    .extracting(Violation::path, Violation::rule).containsExactly(tuple("data", "number"));
            assertThat(refusal(new Ratio(-0.0))).extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data", "number"));
            assertThat(refusal(new Pinged("a\uD800"))).extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data", "unicode"));
            assertThat(refusal(new Pinged("a\u0000"))).extracting(Violation::rule).containsExactly("unicode");
            assertThat(refusal(new Tree(Map.of("\uDC00", "v")))).extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data.\uDC00", "unicode"));
        }

        @Test
        void keep_values_that_survive_every_database() {
            roundTrips(new Pinged("👩‍💻 Å\u001f"));
            roundTrips(new Ratio(Double.NaN));
            roundTrips(new Ratio(Double.NEGATIVE_INFINITY));
            roundTrips(new Ratio(0.0));
            roundTrips(new Amount(new BigDecimal("1.5E-7")));
        }

        @Test
        void refuse_an_event_whose_json_is_larger_than_the_limit() {
            EventRegistry<LooseEvent> registry = registry(EventLimits.defaults().withMaxEventBytes(20));

            assertThatThrownBy(() -> registry.encode(new Pinged("ø".repeat(10))))
                    .isInstanceOfSatisfying(EventValidationException.class, invalid -> {
                        assertThat(invalid.type()).isEqualTo("ping");
                        assertThat(invalid.violations()).extracting(Violation::rule).containsExactly("maxEventBytes");
                    })
                    .hasMessageContaining("22 bytes").hasMessageContaining("20");
            assertThat(registry.encode(new Pinged("ø".repeat(9))).data()).hasSize(11);
        }

        @Test
        void refuse_stored_json_over_the_same_limits_when_reading() {
            EventRegistry<LooseEvent> registry = registry(small);

            assertThat(decodingRules(registry, "tree", "[[[[1]]]]")).containsExactly("maxNestingDepth");
            assertThat(decodingRules(registry, "ping", "\"" + "x".repeat(11) + "\"")).containsExactly("maxStringLength");
            assertThat(decodingRules(registry, "tree", "{\"abcdef\":1}")).containsExactly("maxNameLength");
            assertThat(decodingRules(registry, "amount", "1234567890123")).containsExactly("maxNumberLength");
        }

        private List<String> decodingRules(EventRegistry<LooseEvent> registry, String type, String data) {
            try {
                registry.decode(type, new EncodedEvent(type, data, null));
            } catch (EventDecodingException e) {
                return e.violations().stream().map(Violation::rule).toList();
            }
            throw new AssertionError("decoded " + data);
        }

        @Test
        void are_checked_when_made() {
            assertThatIllegalArgumentException().isThrownBy(() -> EventLimits.defaults().withMaxNestingDepth(1_001))
                    .withMessageContaining("maxNestingDepth").withMessageContaining("1000");
            assertThatIllegalArgumentException().isThrownBy(() -> EventLimits.defaults().withMaxEventBytes(0))
                    .withMessageContaining("maxEventBytes");
        }
    }

    @Nested
    class Validators {

        @Test
        void can_be_added_to_a_registered_record() {
            EventRegistry<LooseEvent> registry = EventRegistry.builder(LooseEvent.class)
                    .register("ping", Pinged.class, ping -> ping.data().isEmpty()
                            ? List.of(new Violation("data", "minLength", "must not be empty")) : List.of())
                    .validator(Pinged.class, ping -> ping.data().equals("pong")
                            ? List.of(new Violation("data", "not", "must not be pong")) : List.of())
                    .build();

            assertThat(registry.validate(new Pinged(""))).extracting(Violation::rule).containsExactly("minLength");
            assertThat(registry.validate(new Pinged("pong"))).extracting(Violation::rule).containsExactly("not");
            assertThat(registry.validate(new Pinged("ping"))).isEmpty();
        }

        @Test
        void cannot_be_added_to_a_record_that_is_not_registered() {
            EventRegistry.Builder<LooseEvent> builder = EventRegistry.builder(LooseEvent.class)
                    .register("ping", Pinged.class);

            assertThatIllegalArgumentException().isThrownBy(() -> builder.validator(Ponged.class, ponged -> List.of()))
                    .withMessageContaining(Ponged.class.getName()).withMessageContaining("not registered");
        }
    }

    /** A type's history: version 1 had a full name, version 2 split it, version 3 added an optional nickname. */
    interface PersonEvent {
    }

    record NamedV1(String data) {
    }

    record NameV2(String given, String family) {
    }

    record NamedV2(NameV2 data) {
    }

    record Name(String given, String family, @Nullable String nickname) {
    }

    record Named(Name data) implements PersonEvent {
    }

    record Greeted(String data) implements PersonEvent {
    }

    @Nested
    class Versions {

        private EventRegistry<PersonEvent> atVersion3() {
            return EventRegistry.builder(PersonEvent.class)
                    .register("person:named", 3, Named.class)
                    .upcaster("person:named", 1, NamedV1.class, (NamedV1 old) -> {
                        String[] parts = old.data().split(" ", 2);
                        return new NamedV2(new NameV2(parts[0], parts.length > 1 ? parts[1] : ""));
                    })
                    .upcaster("person:named", 2, NamedV2.class,
                            (NamedV2 old) -> new Named(new Name(old.data().given(), old.data().family(), null)))
                    .register("person:greeted", Greeted.class)
                    .build();
        }

        @Test
        void write_at_the_registered_version_and_read_it_back() {
            EventRegistry<PersonEvent> registry = atVersion3();
            Named named = new Named(new Name("Jane", "Doe", "JD"));

            EncodedEvent encoded = registry.encode(named);

            assertThat(encoded.version()).isEqualTo(3);
            assertThat(registry.versionOf("person:named")).isEqualTo(3);
            assertThat(registry.versionOf("person:greeted")).isEqualTo(1);
            assertThat(registry.decode("person:named", encoded)).isEqualTo(named);
        }

        @Test
        void read_every_older_version_through_its_chain_of_upcasters() {
            EventRegistry<PersonEvent> registry = atVersion3();

            assertThat(registry.decode("person:named", new EncodedEvent("person:named", 1, "\"Jane Doe\"", null)))
                    .isEqualTo(new Named(new Name("Jane", "Doe", null)));
            assertThat(registry.decode("person:named", new EncodedEvent("person:named", 2,
                    "{\"given\":\"Jo\",\"family\":\"Roe\"}", null)))
                    .isEqualTo(new Named(new Name("Jo", "Roe", null)));
        }

        @Test
        void read_an_older_version_strictly_as_its_own_record() {
            EventRegistry<PersonEvent> registry = atVersion3();

            assertThatThrownBy(() -> registry.decode("person:named", new EncodedEvent("person:named", 2,
                    "{\"given\":\"Jo\",\"family\":\"Roe\",\"nickname\":\"J\"}", null)))
                    .isInstanceOfSatisfying(EventDecodingException.class, failure ->
                            assertThat(failure.violations()).extracting(Violation::path, Violation::rule)
                                    .containsExactly(tuple("data.nickname", "additionalProperties")))
                    .hasMessageContaining("'person:named' version 2");
        }

        @Test
        void refuse_a_version_newer_than_the_registry_knows_naming_both() {
            EventRegistry<PersonEvent> registry = atVersion3();

            assertThatThrownBy(() -> registry.decode("person:named", new EncodedEvent("person:named", 4, "{}", null)))
                    .isInstanceOfSatisfying(UnknownEventVersionException.class, failure -> {
                        assertThat(failure.type()).isEqualTo("person:named");
                        assertThat(failure.version()).isEqualTo(4);
                        assertThat(failure.knownVersion()).isEqualTo(3);
                        assertThat(failure.violations()).extracting(Violation::rule).containsExactly("knownVersion");
                    })
                    .hasMessageContaining("newer version of the service");
        }

        @Test
        void name_an_upcaster_that_fails_or_returns_the_wrong_record() {
            EventRegistry<PersonEvent> failing = EventRegistry.builder(PersonEvent.class)
                    .register("person:named", 2, Named.class)
                    .upcaster("person:named", 1, NamedV1.class, (NamedV1 old) -> {
                        throw new IllegalStateException("cannot split " + old.data());
                    })
                    .register("person:greeted", Greeted.class)
                    .build();
            EventRegistry<PersonEvent> wrong = EventRegistry.builder(PersonEvent.class)
                    .register("person:named", 2, Named.class)
                    .upcaster("person:named", 1, NamedV1.class, (NamedV1 old) -> new Greeted(old.data()))
                    .register("person:greeted", Greeted.class)
                    .build();
            EncodedEvent v1 = new EncodedEvent("person:named", 1, "\"Jane\"", null);

            assertThatThrownBy(() -> failing.decode("person:named", v1))
                    .isInstanceOfSatisfying(EventDecodingException.class, failure -> assertThat(failure.violations())
                            .extracting(Violation::rule).containsExactly("upcaster"))
                    .hasMessageContaining("cannot split Jane");
            assertThatThrownBy(() -> wrong.decode("person:named", v1))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining(Greeted.class.getName()).hasMessageContaining(Named.class.getName());
        }

        @Test
        void refuse_to_build_without_a_step_for_every_older_version() {
            EventRegistry.Builder<PersonEvent> builder = EventRegistry.builder(PersonEvent.class)
                    .register("person:named", 3, Named.class)
                    .upcaster("person:named", 2, NamedV2.class,
                            (NamedV2 old) -> new Named(new Name(old.data().given(), old.data().family(), null)))
                    .register("person:greeted", Greeted.class);

            assertThatIllegalStateException().isThrownBy(builder::build)
                    .withMessageContaining("no upcaster reads version 1")
                    .withMessageContaining("'person:named' is registered at version 3");
        }

        @Test
        void refuse_a_step_from_the_current_version_or_for_an_unregistered_type() {
            assertThatIllegalStateException().isThrownBy(() -> EventRegistry.builder(PersonEvent.class)
                    .register("person:named", 1, Named.class)
                    .upcaster("person:named", 1, NamedV1.class, (NamedV1 old) -> old)
                    .register("person:greeted", Greeted.class)
                    .build()).withMessageContaining("registered at version 1");
            assertThatIllegalStateException().isThrownBy(() -> EventRegistry.builder(PersonEvent.class)
                    .register("person:named", Named.class)
                    .upcaster("person:renamed", 1, NamedV1.class, (NamedV1 old) -> old)
                    .build()).withMessageContaining("'person:renamed'");
            assertThatIllegalArgumentException().isThrownBy(() -> EventRegistry.builder(PersonEvent.class)
                    .upcaster("person:named", 1, NotARecord.class, old -> old))
                    .withMessageContaining("must be a record");
        }

        @Test
        void rewrite_json_of_a_renamed_type_before_reading_it() {
            EventRegistry<PersonEvent> registry = EventRegistry.builder(PersonEvent.class)
                    .register("person:named", 2, Named.class)
                    .upcaster("person:named", 1, NamedV1.class,
                            (NamedV1 old) -> new Named(new Name(old.data(), "", null)))
                    .register("person:greeted", Greeted.class)
                    .jsonUpcaster("person:called", 1,
                            stored -> new EncodedEvent("person:named", 1, stored.data(), stored.meta()))
                    .build();

            assertThat(registry.decode("person:called", new EncodedEvent("person:called", 1, "\"Jane\"", null)))
                    .isEqualTo(new Named(new Name("Jane", "", null)));
        }

        @Test
        void refuse_json_upcasters_that_go_round_in_a_circle() {
            EventRegistry<PersonEvent> registry = EventRegistry.builder(PersonEvent.class)
                    .register("person:named", Named.class)
                    .register("person:greeted", Greeted.class)
                    .jsonUpcaster("a", 1, stored -> new EncodedEvent("b", 1, stored.data(), stored.meta()))
                    .jsonUpcaster("b", 1, stored -> new EncodedEvent("a", 1, stored.data(), stored.meta()))
                    .build();

            assertThatThrownBy(() -> registry.decode("a", new EncodedEvent("a", 1, "1", null)))
                    .isInstanceOf(EventDecodingException.class).hasMessageContaining("back to where they started");
        }
    }
}
