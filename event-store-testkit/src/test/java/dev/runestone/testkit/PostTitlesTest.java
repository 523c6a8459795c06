package dev.runestone.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventRecord;
import dev.runestone.clock.HlcTimestamp;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.TestEvents;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostTitlesTest {

    private static EventRecord<TestEvent> record(String stream, TestEvent event) {
        return new EventRecord<>(UUID.randomUUID(), stream, TestEvent.registry().typeOf(event.getClass()), event,
                new HlcTimestamp(1_000, 0), Instant.EPOCH, 1, 1);
    }

    @Test
    void collects_the_titles_of_posts_in_fold_order() {
        PostTitles titles = PostTitles.REDUCER.initialState();
        titles = PostTitles.REDUCER.fold(titles, record("post-1", TestEvents.postCreated("user-1", "First")));
        titles = PostTitles.REDUCER.fold(titles, record("post-2", TestEvents.postCreated("user-1", "Second")));

        assertThat(titles).isEqualTo(new PostTitles(List.of("First", "Second")));
    }

    @Test
    void ignores_events_that_are_not_posts() {
        PostTitles titles = PostTitles.REDUCER.fold(PostTitles.REDUCER.initialState(),
                record("user-1", TestEvents.activated()));

        assertThat(titles.titles()).isEmpty();
    }

    @Test
    void a_counting_user_view_counts_every_fold() {
        AtomicInteger folds = new AtomicInteger();
        var reducer = UserView.counting("counted", folds);

        UserView view = reducer.fold(reducer.initialState(), record("user-1",
                TestEvents.userCreated("Jane", "Doe", "jane@example.com")));
        view = reducer.fold(view, record("user-1", TestEvents.activated()));

        assertThat(folds).hasValue(2);
        assertThat(view.active()).isTrue();
        assertThat(reducer.name()).isEqualTo("counted");
    }
}
