package dev.runestone.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventRecord;
import dev.runestone.clock.HlcTimestamp;
import dev.runestone.testkit.events.TestEvent;
import dev.runestone.testkit.events.TestEvents;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UserViewTest {

    private long version;

    private EventRecord<TestEvent> record(TestEvent event) {
        version++;
        return new EventRecord<>(UUID.randomUUID(), "user-1", TestEvent.registry().typeOf(event.getClass()), event,
                new HlcTimestamp(1_000 + version, 0), Instant.EPOCH, version, version);
    }

    @Test
    void starts_empty() {
        assertThat(UserView.REDUCER.initialState()).isEqualTo(UserView.empty());
        assertThat(UserView.empty().folded()).isEmpty();
    }

    @Test
    void folds_the_user_events_into_name_email_and_activation() {
        UserView view = UserView.empty();
        for (TestEvent event : List.<TestEvent>of(TestEvents.userCreated("Jane", "Doe", "jane@example.com"),
                TestEvents.givenNameSet("Janet"), TestEvents.emailSet("janet@example.com"), TestEvents.activated())) {
            view = UserView.REDUCER.fold(view, record(event));
        }

        assertThat(view.name()).isEqualTo("Janet Doe");
        assertThat(view.email()).isEqualTo("janet@example.com");
        assertThat(view.active()).isTrue();
        assertThat(view.folded()).containsExactly("user:created", "user:name:given-set", "user:email-set",
                "user:activated");
    }

    @Test
    void notes_a_post_without_changing_the_user() {
        UserView created = UserView.REDUCER.fold(UserView.empty(),
                record(TestEvents.userCreated("Jane", "Doe", "jane@example.com")));

        UserView after = UserView.REDUCER.fold(created, record(TestEvents.postCreated("user-1", "Hello")));

        assertThat(after.name()).isEqualTo(created.name());
        assertThat(after.folded()).containsExactly("user:created", "post:created");
    }

    @Test
    void has_a_stable_reducer_name_for_its_snapshots() {
        assertThat(UserView.REDUCER.name()).isEqualTo("user-view");
        assertThat(TestUser.REDUCER.name()).isEqualTo("test-user");
    }
}
