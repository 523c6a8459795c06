package dev.runestone.spi.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqlIdentifierTest {

    @ParameterizedTest
    @ValueSource(strings = {"runestone", "rs_", "_private", "events2", "a", "x_1_y_2",
            "abcdefghijabcdefghijabcdefghijabcdefghij"})
    void accepts_and_returns_lower_case_identifiers_of_1_to_40_characters(String name) {
        assertThat(SqlIdentifier.requireValid(name, "table prefix")).isSameAs(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "events; DROP TABLE events; --",
            "x' OR '1'='1",
            "rs\"; DELETE FROM rs_events; --",
            "public.events",
            "a-b",
            "a b",
            "rs/*comment*/",
            "rs\n",
            "rs\u0000",
            "Runestone",
            "RS_",
            "\u00e9v\u00e9nements",
            "",
            "1events",
            "9",
            "abcdefghijabcdefghijabcdefghijabcdefghijk",
    })
    void rejects_anything_else(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> SqlIdentifier.requireValid(name, "table prefix"))
                .withMessageContaining("Invalid table prefix '" + name + "'")
                .withMessageContaining("1 to 40 lower-case letters");
    }

    @Test
    void rejects_a_missing_name_and_says_what_it_was_for() {
        assertThatNullPointerException().isThrownBy(() -> SqlIdentifier.requireValid(null, "schema"))
                .withMessage("schema");
    }
}
