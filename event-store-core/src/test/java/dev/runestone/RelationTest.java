package dev.runestone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RelationTest {

    @Test
    void links_a_key_to_a_stream() {
        Relation relation = new Relation("user:42:posts", "post-7");

        assertThat(relation.key()).isEqualTo("user:42:posts");
        assertThat(relation.stream()).isEqualTo("post-7");
    }

    @Test
    void rejects_a_blank_key() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Relation(" ", "post-7"))
                .withMessageContaining("key");
    }

    @Test
    void rejects_a_blank_stream_and_names_the_key() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Relation("user:42:posts", ""))
                .withMessageContaining("stream")
                .withMessageContaining("'user:42:posts'");
    }

    @Test
    void rejects_missing_values() {
        assertThatNullPointerException().isThrownBy(() -> new Relation(null, "post-7")).withMessage("key");
        assertThatNullPointerException().isThrownBy(() -> new Relation("user:42:posts", null)).withMessage("stream");
    }
}
