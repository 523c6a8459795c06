package dev.runestone.examples.users;

import static dev.runestone.examples.users.UserTest.created;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.examples.users.UserServiceExample.UserRow;
import dev.runestone.test.TestEventStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The user service's projector handlers: its read model and its welcome emails. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class UserReadModelTest {

    @RegisterExtension
    final TestEventStore<UserEvent> runestone = TestEventStore.of(UserEvent.registry(new UserUpcasters()));

    private final UserServiceExample service =
            new UserServiceExample(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));

    @Test
    void keeps_a_row_per_active_user_and_welcomes_each_new_one_once() {
        runestone.projector(service::project)
                .given("user-jane", created("Jane", "jane@example.com"))
                .given("user-john", created("John", "john@example.com"))
                .then(() -> {
                    assertThat(service.readModel()).containsOnly(
                            Map.entry("user-jane", new UserRow("Jane Doe", "jane@example.com")),
                            Map.entry("user-john", new UserRow("John Doe", "john@example.com")));
                    assertThat(service.welcomeEmails()).containsOnly(
                            Map.entry("jane@example.com", "welcome-jane@example.com"),
                            Map.entry("john@example.com", "welcome-john@example.com"));
                })
                .given("user-jane", new UserEmailSet("jane.doe@example.com", new UserEmailSet.Meta("jane")))
                .given("user-john", new UserDeactivated())
                .then(() -> assertThat(service.readModel())
                        .containsOnly(Map.entry("user-jane", new UserRow("Jane Doe", "jane.doe@example.com"))));
    }
}
