package dev.runestone.examples.users;

import static dev.runestone.examples.users.UserTest.created;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.test.TestEventStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The welcome emails example's projection, run by a durable subscription on the test fixtures. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class WelcomeEmailsProjectionTest {

    @RegisterExtension
    final TestEventStore<UserEvent> runestone = TestEventStore.of(UserEvent.registry(new UserUpcasters()));

    private final WelcomeEmailsExample example =
            new WelcomeEmailsExample(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));

    @Test
    void each_new_user_gets_a_row_and_one_welcome_email() {
        runestone.subscription(store -> store.subscribe("users").projection(example.projection()))
                .given("user-ada", created("Ada", "ada@example.com"))
                .given("user-grace", created("Grace", "grace@example.com"))
                .then(() -> {
                    assertThat(example.readModel()).containsOnlyKeys("user-ada", "user-grace");
                    assertThat(example.sentEmails()).containsExactlyInAnyOrder("ada@example.com",
                            "grace@example.com");
                });
    }

    @Test
    void a_replay_rebuilds_the_read_model_and_sends_no_email_twice() {
        runestone.subscription(store -> store.subscribe("users").projection(example.projection()))
                .given("user-ada", created("Ada", "ada@example.com"))
                .then(() -> assertThat(example.sentEmails()).containsExactly("ada@example.com"))
                .subscription().close();
        example.readModel().clear();
        runestone.store().subscriptions().replay("users");

        runestone.subscription(store -> store.subscribe("users").projection(example.projection()))
                .then(() -> {
                    assertThat(example.readModel()).containsOnlyKeys("user-ada");
                    assertThat(example.sentEmails()).containsExactly("ada@example.com");
                });
    }

    @Test
    void users_who_signed_up_before_the_projection_first_ran_get_a_row_but_no_email() {
        runestone.given("user-ada", created("Ada", "ada@example.com"));

        runestone.subscription(store -> store.subscribe("users").projection(example.projection()))
                .given("user-grace", created("Grace", "grace@example.com"))
                .then(() -> {
                    assertThat(example.readModel()).containsOnlyKeys("user-ada", "user-grace");
                    assertThat(example.sentEmails()).containsExactly("grace@example.com");
                });
    }
}
