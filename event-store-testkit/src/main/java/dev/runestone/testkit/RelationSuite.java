package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.postCreated;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.EventRecord;
import dev.runestone.ReadOptions;
import dev.runestone.Relation;
import dev.runestone.testkit.events.PostCreated;
import dev.runestone.testkit.events.TestEvent;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Relations: keys that group streams. Adding and removing one or many, looking up streams by key or keys, removing by
 * keys or by streams, and reading the events of related streams. The original library's relation scenarios.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class RelationSuite extends SuiteBase {

    @Nested
    class Adding {

        @Test
        void relates_one_stream_to_a_key() {
            store.relations().add("user-1:posts", "post-1");

            assertThat(store.relations().streams("user-1:posts")).containsExactly("post-1");
        }

        @Test
        void relates_many_streams_at_once() {
            store.relations().add(List.of(new Relation("user-1:posts", "post-1"),
                    new Relation("user-1:posts", "post-2"), new Relation("user-2:posts", "post-3")));

            assertThat(store.relations().streams("user-1:posts")).containsExactlyInAnyOrder("post-1", "post-2");
            assertThat(store.relations().streams("user-2:posts")).containsExactly("post-3");
        }

        @Test
        void relating_a_stream_twice_keeps_one_relation() {
            store.relations().add("user-1:posts", "post-1");
            store.relations().add("user-1:posts", "post-1");
            store.relations().add(List.of(new Relation("user-1:posts", "post-1")));

            assertThat(store.relations().streams("user-1:posts")).containsExactly("post-1");
        }

        @Test
        void relates_one_stream_to_several_keys() {
            store.relations().add("user-1:posts", "post-1");
            store.relations().add("topic:java", "post-1");

            assertThat(store.relations().streams("user-1:posts")).containsExactly("post-1");
            assertThat(store.relations().streams("topic:java")).containsExactly("post-1");
        }

        @Test
        void needs_no_events_in_the_stream() {
            store.relations().add("user-1:posts", "post-not-written-yet");

            assertThat(store.relations().streams("user-1:posts")).containsExactly("post-not-written-yet");
            assertThat(store.readRelations(List.of("user-1:posts"), ReadOptions.defaults())).isEmpty();
        }

        @Test
        void refuses_a_blank_key_or_stream() {
            assertThatThrownBy(() -> store.relations().add(" ", "post-1")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.relations().add("user-1:posts", "")).isInstanceOf(
                    IllegalArgumentException.class);
        }
    }

    @Nested
    class Looking_up {

        @Test
        void finds_nothing_under_an_unknown_key() {
            assertThat(store.relations().streams("user-404:posts")).isEmpty();
        }

        @Test
        void finds_the_streams_of_several_keys_together() {
            store.relations().add("user-1:posts", "post-1");
            store.relations().add("user-2:posts", "post-2");
            store.relations().add("user-3:posts", "post-3");

            assertThat(store.relations().streams(List.of("user-1:posts", "user-2:posts", "user-404:posts")))
                    .containsExactlyInAnyOrder("post-1", "post-2");
        }

        @Test
        void finds_nothing_for_no_keys() {
            store.relations().add("user-1:posts", "post-1");

            assertThat(store.relations().streams(List.of())).isEmpty();
        }
    }

    @Nested
    class Removing {

        @Test
        void removes_one_relation() {
            store.relations().add("user-1:posts", "post-1");
            store.relations().add("user-1:posts", "post-2");

            store.relations().remove("user-1:posts", "post-1");

            assertThat(store.relations().streams("user-1:posts")).containsExactly("post-2");
        }

        @Test
        void removes_many_relations_at_once() {
            store.relations().add(List.of(new Relation("user-1:posts", "post-1"),
                    new Relation("user-1:posts", "post-2"), new Relation("user-1:posts", "post-3")));

            store.relations().remove(List.of(new Relation("user-1:posts", "post-1"),
                    new Relation("user-1:posts", "post-3")));

            assertThat(store.relations().streams("user-1:posts")).containsExactly("post-2");
        }

        @Test
        void removing_a_missing_relation_is_harmless() {
            store.relations().add("user-1:posts", "post-1");

            store.relations().remove("user-1:posts", "post-404");
            store.relations().remove("user-404:posts", "post-1");

            assertThat(store.relations().streams("user-1:posts")).containsExactly("post-1");
        }

        @Test
        void removes_every_relation_under_the_keys() {
            store.relations().add("user-1:posts", "post-1");
            store.relations().add("user-1:posts", "post-2");
            store.relations().add("user-2:posts", "post-3");
            store.relations().add("user-3:posts", "post-4");

            store.relations().removeByKeys(List.of("user-1:posts", "user-2:posts"));

            assertThat(store.relations().streams(List.of("user-1:posts", "user-2:posts"))).isEmpty();
            assertThat(store.relations().streams("user-3:posts")).containsExactly("post-4");
        }

        @Test
        void removes_every_relation_pointing_at_the_streams() {
            store.relations().add("user-1:posts", "post-1");
            store.relations().add("topic:java", "post-1");
            store.relations().add("user-1:posts", "post-2");
            store.relations().add("topic:java", "post-3");

            store.relations().removeByStreams(List.of("post-1", "post-3"));

            assertThat(store.relations().streams("user-1:posts")).containsExactly("post-2");
            assertThat(store.relations().streams("topic:java")).isEmpty();
        }

        @Test
        void removing_by_no_keys_or_no_streams_removes_nothing() {
            store.relations().add("user-1:posts", "post-1");

            store.relations().removeByKeys(List.of());
            store.relations().removeByStreams(List.of());

            assertThat(store.relations().streams("user-1:posts")).containsExactly("post-1");
        }

        @Test
        void leaves_the_events_of_the_streams_alone() {
            store.append("post-1", postCreated("user-1", "Hello"));
            store.relations().add("user-1:posts", "post-1");

            store.relations().removeByKeys(List.of("user-1:posts"));

            assertThat(store.read("post-1")).hasSize(1);
        }
    }

    @Nested
    class Reading_related_streams {

        @Test
        void reads_the_events_of_every_related_stream_in_created_order() {
            List<EventRecord<TestEvent>> first = store.append("post-1", postCreated("user-1", "First")).records();
            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            List<EventRecord<TestEvent>> second = store.append("post-2", postCreated("user-1", "Second")).records();
            store.relations().add("user-1:posts", "post-2");
            store.relations().add("user-1:posts", "post-1");

            assertThat(store.readRelations(List.of("user-1:posts"), ReadOptions.defaults()))
                    .containsExactly(first.getFirst(), second.getFirst());
        }

        @Test
        void reads_the_streams_of_several_keys_with_type_filter_and_limit() {
            store.append("user-1", userCreated("Jane", "Doe", "jane@example.com"));
            store.append("post-1", postCreated("user-1", "First"));
            store.append("post-2", postCreated("user-2", "Second"));
            store.append("post-3", postCreated("user-2", "Third"));
            store.relations().add("user-1:all", "user-1");
            store.relations().add("user-1:all", "post-1");
            store.relations().add("user-2:all", "post-2");
            store.relations().add("user-2:all", "post-3");

            List<EventRecord<TestEvent>> read = store.readRelations(List.of("user-1:all", "user-2:all"),
                    ReadOptions.defaults().types(PostCreated.class).descending().limit(2));

            assertThat(read).extracting(EventRecord::stream).containsExactly("post-3", "post-2");
        }

        @Test
        void reads_nothing_under_an_unknown_key() {
            store.append("post-1", postCreated("user-1", "First"));

            assertThat(store.readRelations(List.of("user-404:posts"), ReadOptions.defaults())).isEmpty();
        }

        @Test
        void stops_reading_a_stream_once_its_relation_is_removed() {
            store.append("post-1", postCreated("user-1", "First"));
            store.append("post-2", postCreated("user-1", "Second"));
            store.relations().add("user-1:posts", "post-1");
            store.relations().add("user-1:posts", "post-2");

            store.relations().remove("user-1:posts", "post-1");

            assertThat(store.readRelations(List.of("user-1:posts"), ReadOptions.defaults()))
                    .extracting(EventRecord::stream).containsExactly("post-2");
        }
    }
}
