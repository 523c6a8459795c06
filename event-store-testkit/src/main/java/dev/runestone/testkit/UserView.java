package dev.runestone.testkit;

import dev.runestone.EventRecord;
import dev.runestone.Reducer;
import dev.runestone.testkit.events.PostCreated;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.UserActivated;
import dev.runestone.testkit.events.UserCreated;
import dev.runestone.testkit.events.UserEmailSet;
import dev.runestone.testkit.events.UserNameGivenSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state the suites reduce users into, after the original library's reducer example: a name, an email, and the
 * types of the events folded, in fold order, so a test can see exactly what was folded.
 */
record UserView(String given, String family, String email, boolean active, List<String> folded) {

    static final Reducer<UserView, TestEvent> REDUCER =
            Reducer.of("user-view", UserView.class, UserView::empty, UserView::fold);

    UserView {
        folded = List.copyOf(folded);
    }

    /** A reducer like {@link #REDUCER}, under another name, that counts every fold in {@code folds}. */
    static Reducer<UserView, TestEvent> counting(String name, AtomicInteger folds) {
        return Reducer.of(name, UserView.class, UserView::empty, (state, record) -> {
            folds.incrementAndGet();
            return state.fold(record);
        });
    }

    static UserView empty() {
        return new UserView("", "", "", false, List.of());
    }

    String name() {
        return given + " " + family;
    }

    UserView fold(EventRecord<TestEvent> record) {
        List<String> types = new ArrayList<>(folded);
        types.add(record.type());
        return switch (record.event()) {
            case UserCreated created -> new UserView(created.data().name().given(), created.data().name().family(),
                    created.data().email(), active, types);
            case UserNameGivenSet set -> new UserView(set.data(), family, email, active, types);
            case UserEmailSet set -> new UserView(given, family, set.data(), active, types);
            case UserActivated ignored -> new UserView(given, family, email, true, types);
            case PostCreated ignored -> new UserView(given, family, email, active, types);
        };
    }
}
