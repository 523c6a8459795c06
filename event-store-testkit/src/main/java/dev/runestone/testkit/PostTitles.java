package dev.runestone.testkit;

import dev.runestone.EventRecord;
import dev.runestone.Reducer;
import dev.runestone.testkit.events.PostCreated;
import dev.runestone.testkit.events.TestEvent;
import java.util.ArrayList;
import java.util.List;

/** The state the suites reduce relations into: the titles of the posts folded, in fold order. */
record PostTitles(List<String> titles) {

    static final Reducer<PostTitles, TestEvent> REDUCER = Reducer.of("post-titles", PostTitles.class,
            () -> new PostTitles(List.of()), PostTitles::fold);

    PostTitles {
        titles = List.copyOf(titles);
    }

    PostTitles fold(EventRecord<TestEvent> record) {
        if (!(record.event() instanceof PostCreated post)) {
            return this;
        }
        List<String> more = new ArrayList<>(titles);
        more.add(post.data().title());
        return new PostTitles(more);
    }
}
