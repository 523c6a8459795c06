package dev.runestone.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.EventDecodingException;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.UnknownEventTypeException;
import dev.runestone.registry.EventRegistry.EncodedEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        void ignores_stored_json_for_a_part_the_record_does_not_have() {
            EventRegistry<ShopEvent> registry = shop();

            ShopEvent decoded = registry.decode("order:cleared",
                    new EncodedEvent("order:cleared", "{\"old\":true}", "{\"by\":\"x\"}"));

            assertThat(decoded).isEqualTo(new OrderCleared());
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

        @Test
        void name_the_type_when_the_json_has_an_unknown_property() {
            EventRegistry<ShopEvent> registry = shop();
            EncodedEvent stored = new EncodedEvent("order:audited", null,
                    "{\"id\":\"admin\",\"roles\":[],\"shoeSize\":44}");

            assertThatThrownBy(() -> registry.decode("order:audited", stored))
                    .isExactlyInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("meta of order:audited")
                    .hasMessageContaining("OrderAudited")
                    .hasMessageContaining("shoeSize");
        }

        @Test
        void name_the_type_when_the_json_has_the_wrong_shape() {
            EventRegistry<ShopEvent> registry = shop();
            EncodedEvent stored = new EncodedEvent("order:noted", "{\"text\":\"hello\"}", null);

            assertThatThrownBy(() -> registry.decode("order:noted", stored))
                    .isExactlyInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("data of order:noted")
                    .hasMessageContaining("OrderNoted");
        }

        @Test
        void name_the_type_when_a_nested_value_has_the_wrong_shape() {
            EventRegistry<ShopEvent> registry = shop();
            String data = shop().encode(new OrderPlaced(ORDER, ADMIN)).data().replace("\"NOK\"", "\"DOGE\"");
            EncodedEvent stored = new EncodedEvent("order:placed", data, "{\"id\":\"a\",\"roles\":[]}");

            assertThatThrownBy(() -> registry.decode("order:placed", stored))
                    .isExactlyInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("order:placed")
                    .hasMessageContaining("DOGE");
        }

        @Test
        void name_the_type_when_the_json_is_not_json() {
            EventRegistry<ShopEvent> registry = shop();
            EncodedEvent stored = new EncodedEvent("payment:taken", "12,50", null);

            assertThatThrownBy(() -> registry.decode("payment:taken", stored))
                    .isExactlyInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("payment:taken");
        }

        @Test
        void name_the_type_when_the_record_constructor_rejects_the_stored_values() {
            EventRegistry<ShopEvent> registry = shop();
            EncodedEvent stored = new EncodedEvent("order:rated", "7", null);

            assertThatThrownBy(() -> registry.decode("order:rated", stored))
                    .isExactlyInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("order:rated")
                    .hasMessageContaining("OrderRated")
                    .hasMessageContaining("a rating is 1 to 5, was 7")
                    .cause().isExactlyInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void name_the_type_when_stored_json_lacks_a_primitive_component() {
            EventRegistry<LooseEvent> registry = loose();
            EncodedEvent stored = new EncodedEvent("tally", null, null);

            assertThatThrownBy(() -> registry.decode("tally", stored))
                    .isExactlyInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("tally")
                    .hasMessageContaining("Tallied");
        }

        @Test
        void name_the_type_when_a_primitive_component_is_stored_as_json_null() {
            EventRegistry<LooseEvent> registry = loose();
            EncodedEvent stored = new EncodedEvent("tally", "null", null);

            assertThatThrownBy(() -> registry.decode("tally", stored))
                    .isExactlyInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("tally")
                    .hasMessageContaining("Tallied");
        }
    }
}
