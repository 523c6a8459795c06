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
class WelcomeEmailsExampleTest {

    @TempDir
    Path directory;

    @Test
    void the_projection_catches_up_after_a_restart_and_a_replay_sends_no_email_twice() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        WelcomeEmailsExample example = new WelcomeEmailsExample(new PrintStream(printed, true, StandardCharsets.UTF_8));

        example.run(directory.resolve("welcome-emails.db"));

        assertThat(example.sentEmails()).containsExactlyInAnyOrder("ada@example.com", "grace@example.com",
                "linus@example.com");
        assertThat(example.readModel()).containsOnlyKeys("user-ada", "user-grace", "user-linus");
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("Run 1: signed up 3 users")
                .contains("Run 3: replayed from position 0")
                .contains("welcome emails sent in all 3");
    }
}
