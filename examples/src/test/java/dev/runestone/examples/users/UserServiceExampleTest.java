package dev.runestone.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UserServiceExampleTest {

    @TempDir
    Path directory;

    @Test
    void the_example_runs_end_to_end_and_reports_what_it_did() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        new UserServiceExample(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(directory.resolve("users.db"));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output)
                .contains("Created users Jane Doe and John Roe")
                .contains("Changed Jane Doe's email to jane.doe@example.com (stream version 2)")
                .contains("A stale write was refused: Stream 'user-john' was expected at version 1 but is at 2")
                .contains("An invalid event was refused: user:email-set is invalid: data: must be an email address")
                .contains("Reduced user-jane: UserSummary[email=jane.doe@example.com, emailChanges=1, active=true]")
                .contains("Saved a snapshot of user-jane at version 2")
                .contains("Read model: {user-jane=UserRow[name=Jane Doe, email=jane.doe@example.com]}")
                .contains("Welcome emails sent: {jane@example.com=welcome-jane@example.com, "
                        + "john@example.com=welcome-john@example.com}")
                .contains("#5 user:deactivated")
                .contains("Events of user-jane, newest first: [user:email-set, user:created]");
    }

    @Test
    void running_twice_starts_from_an_empty_file() throws Exception {
        Path file = directory.resolve("again.db");
        new UserServiceExample(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(file);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        new UserServiceExample(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(file);

        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Created users Jane Doe and John Roe")
                .doesNotContain("#6 ");
    }
}
