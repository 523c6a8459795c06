package dev.runestone.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.registry.EventRegistry;
import dev.runestone.registry.EventRegistry.EncodedEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SchemaEvolutionExampleTest {

    @TempDir
    Path directory;

    @Test
    void release_2_reads_what_release_1_stored_and_release_1_reads_past_what_release_2_stored() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        new SchemaEvolutionExample(new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(directory.resolve("evolution.db"));

        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("Release 2 reduced user-ada from version 1 events: Ada Lovelace, ada@analytical.example")
                .contains("#1 user:created   stored at version 1: UserCreated[data=Data[name=Name[given=Ada, "
                        + "family=Lovelace], email=ada@example.com], meta=Meta[auditor=signup-form]]")
                .contains("#4 user:created   stored at version 2: UserCreated[data=Data[name=Name[given=Linus, "
                        + "family=Torvalds]")
                .contains("release 1 reads the log past what it cannot: 3 events, and 1 it does not know")
                .contains("#4 user:created: Cannot read event")
                .contains("stored user:created is version 2, but this registry knows it up to version 1");
    }

    @Test
    void a_name_of_one_word_reads_as_a_given_name_with_an_empty_family_name() {
        EventRegistry<UserEvent> registry = UserEvent.registry(new UserUpcasters());

        UserEvent read = registry.decode("user:created", new EncodedEvent("user:created", 1,
                "{\"name\":\" Cher \",\"email\":\"cher@example.com\"}", "{\"auditor\":\"import\"}"));

        assertThat(read).isEqualTo(new UserCreated(new UserCreated.Data(new UserCreated.Data.Name("Cher", ""),
                "cher@example.com"), new UserCreated.Meta("import")));
    }
}
