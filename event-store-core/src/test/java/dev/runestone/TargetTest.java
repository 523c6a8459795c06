package dev.runestone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TargetTest {

    @Test
    void a_stream_target_is_keyed_by_the_stream_id() {
        Target target = Target.stream("user-42");

        assertThat(target).isInstanceOf(Target.OfStream.class);
        assertThat(target.key()).isEqualTo("user-42");
    }

    @Test
    void a_relation_target_is_keyed_by_the_relation_key() {
        Target target = Target.relation("user:42:posts");

        assertThat(target).isInstanceOf(Target.OfRelation.class);
        assertThat(target.key()).isEqualTo("user:42:posts");
    }

    @Test
    void a_stream_and_a_relation_with_the_same_key_are_different_targets() {
        assertThat(Target.stream("shared")).isNotEqualTo(Target.relation("shared"));
        assertThat(Target.stream("shared")).isEqualTo(Target.stream("shared"));
    }

    @Test
    void rejects_a_missing_key() {
        assertThatNullPointerException().isThrownBy(() -> Target.stream(null)).withMessage("stream");
        assertThatNullPointerException().isThrownBy(() -> Target.relation(null)).withMessage("key");
    }

    @Test
    void rejects_a_blank_key() {
        assertThatIllegalArgumentException().isThrownBy(() -> Target.stream(" ")).withMessageContaining("Stream id");
        assertThatIllegalArgumentException().isThrownBy(() -> Target.relation("")).withMessageContaining("Relation key");
    }
}
