package dev.runestone.testkit;

import static dev.runestone.testkit.events.TestEvents.activated;
import static dev.runestone.testkit.events.TestEvents.emailSet;
import static dev.runestone.testkit.events.TestEvents.givenNameSet;
import static dev.runestone.testkit.events.TestEvents.postCreated;
import static dev.runestone.testkit.events.TestEvents.userCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.EventRecord;
import dev.runestone.LogPage;
import dev.runestone.ReadOptions;
import dev.runestone.testkit.events.PostCreated;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.TestEvents;
import dev.runestone.testkit.events.UserCreated;
import dev.runestone.testkit.events.UserEmailSet;
import dev.runestone.testkit.events.UserNameGivenSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Reading: by stream, by several streams, the whole log and the commit-order log, with type filters, cursors,
 * direction and limits, and payloads that read back exactly as written.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ReadSuite extends SuiteBase {

    /** Three streams, appended interleaved: user-1 (4 events), user-2 (2 events), post-1 (1 event). */
    List<EventRecord<TestEvent>> written;

    @BeforeEach
    void writeEvents() {
        written = new ArrayList<>();
        written.addAll(store.append("user-1", userCreated("Jane", "Doe", "jane@example.com")).records());
        written.addAll(store.append("user-2", userCreated("John", "Roe", "john@example.com")).records());
        written.addAll(store.append("user-1", List.of(givenNameSet("Janet"), emailSet("janet@example.com")))
                .records());
        written.addAll(store.append("post-1", postCreated("user-1", "Hello")).records());
        written.addAll(store.append("user-2", emailSet("johnny@example.com")).records());
        written.addAll(store.append("user-1", activated()).records());
    }

    List<EventRecord<TestEvent>> writtenTo(String stream) {
        return written.stream().filter(record -> record.stream().equals(stream)).toList();
    }

    @Nested
    class A_stream {

        @Test
        void reads_its_events_oldest_first() {
            assertThat(store.read("user-1")).containsExactlyElementsOf(writtenTo("user-1"));
            assertThat(store.read("user-1")).extracting(EventRecord::version).containsExactly(1L, 2L, 3L, 4L);
        }

        @Test
        void reads_nothing_for_a_stream_without_events() {
            assertThat(store.read("user-404")).isEmpty();
            assertThat(store.version("user-404")).isZero();
        }

        @Test
        void reports_its_version() {
            assertThat(store.version("user-1")).isEqualTo(4);
            assertThat(store.version("user-2")).isEqualTo(2);
            assertThat(store.version("post-1")).isEqualTo(1);
        }

        @Test
        void reads_newest_first_when_descending() {
            assertThat(store.read("user-1", ReadOptions.defaults().descending()))
                    .containsExactlyElementsOf(writtenTo("user-1").reversed());
        }

        @Test
        void reads_only_the_requested_types() {
            assertThat(store.read("user-1", ReadOptions.defaults().types(UserNameGivenSet.class, UserEmailSet.class)))
                    .extracting(EventRecord::type).containsExactly("user:name:given-set", "user:email-set");
        }

        @Test
        void reads_at_most_the_limit() {
            assertThat(store.read("user-1", ReadOptions.defaults().limit(2)))
                    .containsExactlyElementsOf(writtenTo("user-1").subList(0, 2));
        }

        @Test
        void reads_the_latest_event_of_a_type() {
            assertThat(store.read("user-1", ReadOptions.defaults().types(UserEmailSet.class).descending().limit(1)))
                    .singleElement().satisfies(record -> assertThat(record.event()).isEqualTo(
                            emailSet("janet@example.com")));
        }

        @Test
        void reads_after_a_cursor_exclusively() {
            List<EventRecord<TestEvent>> stream = writtenTo("user-1");

            assertThat(store.read("user-1", ReadOptions.defaults().after(stream.get(1).created())))
                    .containsExactlyElementsOf(stream.subList(2, 4));
        }

        @Test
        void reads_before_a_cursor_when_descending() {
            List<EventRecord<TestEvent>> stream = writtenTo("user-1");

            assertThat(store.read("user-1", ReadOptions.defaults().after(stream.get(2).created()).descending()))
                    .containsExactly(stream.get(1), stream.get(0));
        }

        @Test
        void pages_through_a_stream_with_a_cursor_and_a_limit() {
            List<EventRecord<TestEvent>> pages = new ArrayList<>();
            ReadOptions page = ReadOptions.defaults().limit(3);
            List<EventRecord<TestEvent>> next = store.read("user-1", page);
            while (!next.isEmpty() && pages.size() <= written.size()) {
                pages.addAll(next);
                next = store.read("user-1", page.after(next.getLast().created()));
            }

            assertThat(pages).containsExactlyElementsOf(writtenTo("user-1"));
        }
    }

    @Nested
    class Several_streams {

        @Test
        void merges_their_events_in_created_order() {
            List<EventRecord<TestEvent>> expected = written.stream()
                    .filter(record -> !record.stream().equals("post-1")).toList();

            assertThat(store.readStreams(List.of("user-1", "user-2"), ReadOptions.defaults()))
                    .containsExactlyElementsOf(expected);
        }

        @Test
        void apply_type_filter_and_limit_across_streams() {
            assertThat(store.readStreams(List.of("user-1", "user-2"),
                    ReadOptions.defaults().types(UserEmailSet.class).limit(1)))
                    .singleElement().satisfies(record -> assertThat(record.stream()).isEqualTo("user-1"));
        }

        @Test
        void read_nothing_for_an_empty_list_of_streams() {
            assertThat(store.readStreams(List.of(), ReadOptions.defaults())).isEmpty();
        }
    }

    @Nested
    class The_whole_log {

        @Test
        void reads_every_event_in_created_order() {
            assertThat(store.readAll(ReadOptions.defaults())).containsExactlyElementsOf(written);
        }

        @Test
        void reads_every_event_of_some_types() {
            assertThat(store.readAll(ReadOptions.defaults().types(UserCreated.class, PostCreated.class)))
                    .extracting(EventRecord::stream).containsExactly("user-1", "user-2", "post-1");
        }

        @Test
        void reads_in_commit_order_by_position() {
            assertThat(log(store)).containsExactlyElementsOf(written);
            assertThat(log(store)).extracting(EventRecord::position).isSorted().doesNotHaveDuplicates();
        }

        @Test
        void follows_the_log_page_by_page_from_a_position() {
            List<EventRecord<TestEvent>> followed = new ArrayList<>();
            long position = 0;
            LogPage<TestEvent> page;
            while (!(page = store.readLog(position, 2)).isEmpty() && followed.size() <= written.size()) {
                assertThat(page.events()).hasSizeLessThanOrEqualTo(2);
                assertThat(page.undecodable()).isEmpty();
                followed.addAll(page.events());
                position = page.lastPosition();
            }

            assertThat(followed).containsExactlyElementsOf(written);
        }

        @Test
        void reads_nothing_after_the_last_position() {
            LogPage<TestEvent> page = store.readLog(written.getLast().position(), 10);

            assertThat(page.isEmpty()).isTrue();
            assertThat(page.lastPosition()).isEqualTo(written.getLast().position());
        }

        @Test
        void refuses_a_negative_position_or_a_limit_below_one() {
            assertThatThrownBy(() -> store.readLog(-1, 10)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.readLog(0, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ReadOptions.defaults().limit(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class One_event {

        @Test
        void is_found_by_its_id() {
            EventRecord<TestEvent> record = written.get(3);

            assertThat(store.find(record.id())).contains(record);
        }

        @Test
        void is_not_found_under_an_unknown_id() {
            assertThat(store.find(UUID.randomUUID())).isEmpty();
        }
    }

    @Nested
    class Payloads {

        @Test
        void read_back_equal_with_unicode_quotes_and_json_in_strings() {
            UserCreated tricky = userCreated("Zoë \"the\" 🦊", "O'Brien \\ {\"json\": [1]}",
                    "zoë+tag@例え.jp");

            store.append("user-3", tricky);

            assertThat(store.read("user-3")).singleElement()
                    .satisfies(record -> assertThat(record.event()).isEqualTo(tricky));
        }

        @Test
        void read_back_equal_with_an_enum_and_a_list() {
            PostCreated draft = postCreated("user-1", "Draft", PostCreated.Data.Status.DRAFT,
                    List.of("java", "événements", "🦊"));
            PostCreated untagged = postCreated("user-1", "Untagged", PostCreated.Data.Status.PUBLISHED, List.of());

            store.append("post-2", List.of(draft, untagged));

            assertThat(store.read("post-2")).extracting(EventRecord::event).containsExactly(draft, untagged);
            assertThat(((PostCreated) store.read("post-2").getFirst().event()).data().status())
                    .isEqualTo(PostCreated.Data.Status.DRAFT);
        }

        @Test
        void keep_long_text_intact() {
            String title = "x".repeat(TestEvents.MAX_TITLE_LENGTH);

            store.append("post-2", postCreated("user-1", title));

            assertThat(store.read("post-2")).singleElement().satisfies(record ->
                    assertThat(((PostCreated) record.event()).data().title()).isEqualTo(title));
        }
    }
}
