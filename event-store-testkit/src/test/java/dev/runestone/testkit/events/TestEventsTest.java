package dev.runestone.testkit.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.runestone.EventValidationException;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.UnknownEventTypeException;
import dev.runestone.registry.EventRegistry;
import dev.runestone.registry.EventRegistry.EncodedEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TestEventsTest {

    private final EventRegistry<TestEvent> registry = TestEvent.registry();

    static List<TestEvent> validEvents() {
        return List.of(
                TestEvents.userCreated("Jane", "Doe", "jane@example.com"),
                TestEvents.givenNameSet("Janet"),
                TestEvents.emailSet("janet@example.com"),
                TestEvents.activated(),
                TestEvents.postCreated("user-1", "Hello"),
                TestEvents.postCreated("user-1", "Draft", PostCreated.Data.Status.DRAFT, List.of("java", "json")));
    }

    @Nested
    class The_records {

        @Test
        void of_user_created_require_every_field_and_report_each_path() {
            assertThatThrownBy(() -> new UserCreated(new UserCreated.Data(new UserCreated.Data.Name(null, null), null),
                    new UserCreated.Meta(null)))
                    .isInstanceOfSatisfying(EventValidationException.class, invalid -> {
                        assertThat(invalid.type()).isEqualTo("user:created");
                        assertThat(invalid.violations()).extracting(Violation::path, Violation::rule).containsExactly(
                                tuple("data.name.given", "required"),
                                tuple("data.name.family", "required"),
                                tuple("data.email", "required"),
                                tuple("meta.auditor", "required"));
                    });
        }

        @Test
        void of_user_email_set_require_an_email_address() {
            assertThatThrownBy(() -> TestEvents.emailSet("jane-at-example.com"))
                    .isInstanceOfSatisfying(EventValidationException.class, invalid ->
                            assertThat(invalid.violations()).extracting(Violation::path, Violation::rule)
                                    .containsExactly(tuple("data", "format")))
                    .hasMessage("user:email-set is invalid: data: must be an email address (format)");
        }

        @Test
        void of_user_created_report_missing_objects_without_looking_inside_them() {
            assertThatThrownBy(() -> new UserCreated(new UserCreated.Data(null, "jane@example.com"), null))
                    .isInstanceOfSatisfying(EventValidationException.class, invalid ->
                            assertThat(invalid.violations()).extracting(Violation::path)
                                    .containsExactly("data.name", "meta"));
        }

        @Test
        void of_user_name_given_set_require_a_name() {
            assertThatThrownBy(() -> TestEvents.givenNameSet(""))
                    .isInstanceOfSatisfying(EventValidationException.class, invalid ->
                            assertThat(invalid.violations()).extracting(Violation::path, Violation::rule)
                                    .containsExactly(tuple("data", "minLength")));
        }

        @Test
        void of_user_created_leave_the_email_format_to_the_registry() {
            UserCreated malformed = TestEvents.userCreated("Jane", "Doe", "not-an-email");

            assertThat(malformed.data().email()).isEqualTo("not-an-email");
        }

        @Test
        void of_post_created_limit_the_title() {
            assertThatThrownBy(() -> TestEvents.postCreated("user-1", "x".repeat(TestEvents.MAX_TITLE_LENGTH + 1)))
                    .isInstanceOfSatisfying(EventValidationException.class, invalid ->
                            assertThat(invalid.violations()).extracting(Violation::path, Violation::rule)
                                    .containsExactly(tuple("data.title", "maxLength")));
            assertThat(TestEvents.postCreated("user-1", "x".repeat(TestEvents.MAX_TITLE_LENGTH)).data().title())
                    .hasSize(TestEvents.MAX_TITLE_LENGTH);
        }

        @Test
        void of_post_created_check_every_tag_and_keep_an_unmodifiable_copy() {
            List<String> tags = new ArrayList<>(List.of("java"));
            PostCreated post = TestEvents.postCreated("user-1", "Hello", PostCreated.Data.Status.DRAFT, tags);
            tags.add("changed later");

            assertThat(post.data().tags()).containsExactly("java");
            assertThatThrownBy(() -> post.data().tags().add("x")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> TestEvents.postCreated("user-1", "Hello", PostCreated.Data.Status.DRAFT,
                    Arrays.asList("java", "", null)))
                    .isInstanceOfSatisfying(EventValidationException.class, invalid ->
                            assertThat(invalid.violations()).extracting(Violation::path, Violation::rule)
                                    .containsExactly(tuple("data.tags[1]", "minLength"),
                                            tuple("data.tags[2]", "required")));
        }

        @Test
        void are_equal_by_value() {
            assertThat(TestEvents.userCreated("Jane", "Doe", "jane@example.com"))
                    .isEqualTo(TestEvents.userCreated("Jane", "Doe", "jane@example.com"))
                    .isNotEqualTo(TestEvents.userCreated("Jane", "Doe", "jd@example.com"));
        }
    }

    @Nested
    class The_registry {

        @Test
        void knows_every_event_type_by_its_type_string() {
            assertThat(registry.types()).containsExactlyInAnyOrder("user:created", "user:name:given-set",
                    "user:email-set", "user:activated", "post:created");
            assertThat(registry.classOf("user:created")).isEqualTo(UserCreated.class);
            assertThat(registry.typeOf(PostCreated.class)).isEqualTo("post:created");
            assertThat(registry.eventType()).isEqualTo(TestEvent.class);
            assertThat(TestEvents.registryWithEmailRule().types()).isEqualTo(registry.types());
        }

        @ParameterizedTest
        @MethodSource("dev.runestone.testkit.events.TestEventsTest#validEvents")
        void round_trips_every_event_through_json(TestEvent event) {
            EncodedEvent encoded = registry.encode(event);

            assertThat(encoded.type()).isEqualTo(registry.typeOf(event.getClass()));
            assertThat(registry.decode(encoded.type(), encoded)).isEqualTo(event);
        }

        @ParameterizedTest
        @MethodSource("dev.runestone.testkit.events.TestEventsTest#validEvents")
        void finds_nothing_wrong_with_valid_events(TestEvent event) {
            assertThat(registry.validate(event)).isEmpty();
            assertThat(TestEvents.registryWithEmailRule().validate(event)).isEmpty();
        }

        @Test
        void stores_neither_data_nor_meta_for_an_event_without_them() {
            EncodedEvent encoded = registry.encode(TestEvents.activated());

            assertThat(encoded.data()).isNull();
            assertThat(encoded.meta()).isNull();
        }

        @Test
        void encodes_plain_string_data_as_a_json_string() {
            EncodedEvent encoded = registry.encode(TestEvents.givenNameSet("Janet"));

            assertThat(encoded.data()).isEqualTo("\"Janet\"");
            assertThat(encoded.meta()).isEqualTo("{\"auditor\":\"testkit\"}");
        }

        @Test
        void encodes_an_enum_by_its_json_value_and_a_list_as_an_array() {
            EncodedEvent encoded = registry.encode(
                    TestEvents.postCreated("user-1", "Hello", PostCreated.Data.Status.DRAFT, List.of("java", "json")));

            assertThat(encoded.data()).isEqualTo(
                    "{\"author\":\"user-1\",\"title\":\"Hello\",\"status\":\"draft\",\"tags\":[\"java\",\"json\"]}");
        }

        @Test
        void with_the_email_rule_refuses_a_malformed_email_that_the_record_accepts() {
            UserCreated malformed = TestEvents.userCreated("Jane", "Doe", "not-an-email");

            assertThat(TestEvents.registryWithEmailRule().validate(malformed))
                    .extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("data.email", "format"));
            assertThat(registry.validate(malformed)).isEmpty();
        }

        @Test
        void runs_the_record_rules_when_decoding() {
            EncodedEvent empty = new EncodedEvent("user:name:given-set", "\"\"", "{\"auditor\":\"testkit\"}");

            assertThatThrownBy(() -> registry.decode("user:name:given-set", empty))
                    .hasMessageContaining("data");
        }

        @Test
        void refuses_an_unknown_type_string() {
            assertThatThrownBy(() -> registry.classOf("user:deleted"))
                    .isInstanceOf(UnknownEventTypeException.class)
                    .hasMessageContaining("user:deleted");
        }

        @Test
        void is_shared() {
            assertThat(TestEvent.registry()).isSameAs(registry);
            assertThat(TestEvents.registryWithEmailRule()).isSameAs(TestEvents.registryWithEmailRule());
        }
    }
}
