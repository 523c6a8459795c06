package dev.runestone.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NamesTest {

    @Test
    void a_type_string_becomes_a_class_name_word_by_word() {
        assertThat(Names.className("user:created")).isEqualTo("UserCreated");
        assertThat(Names.className("user:email-set")).isEqualTo("UserEmailSet");
        assertThat(Names.className("user:name:given-set")).isEqualTo("UserNameGivenSet");
        assertThat(Names.className("order.line_added")).isEqualTo("OrderLineAdded");
        assertThat(Names.className("user:emailSet")).isEqualTo("UserEmailSet");
        assertThat(Names.className("::")).isEmpty();
    }

    @Test
    void an_enum_value_becomes_an_upper_case_constant() {
        assertThat(Names.constantName("admin")).isEqualTo("ADMIN");
        assertThat(Names.constantName("read-only")).isEqualTo("READ_ONLY");
        assertThat(Names.constantName("inProgress")).isEqualTo("IN_PROGRESS");
        assertThat(Names.constantName("2fa")).isEqualTo("_2FA");
        assertThat(Names.constantName("")).isEqualTo("EMPTY");
        assertThat(Names.constantName("--")).isEmpty();
    }

    @Test
    void a_list_class_name_becomes_the_singular_for_its_elements() {
        assertThat(Names.elementClassName("Lines")).isEqualTo("Line");
        assertThat(Names.elementClassName("Categories")).isEqualTo("Category");
        assertThat(Names.elementClassName("Addresses")).isEqualTo("Address");
        assertThat(Names.elementClassName("Boxes")).isEqualTo("Box");
        assertThat(Names.elementClassName("Status")).isEqualTo("StatusItem");
        assertThat(Names.elementClassName("Data")).isEqualTo("DataItem");
    }

    @Test
    void java_keywords_and_record_methods_cannot_name_a_component() {
        assertThat(Names.isUsableComponentName("given")).isTrue();
        assertThat(Names.isUsableComponentName("class")).isFalse();
        assertThat(Names.isUsableComponentName("hashCode")).isFalse();
        assertThat(Names.isUsableComponentName("first-name")).isFalse();
        assertThat(Names.camelCase("first-name")).isEqualTo("firstName");
    }
}
