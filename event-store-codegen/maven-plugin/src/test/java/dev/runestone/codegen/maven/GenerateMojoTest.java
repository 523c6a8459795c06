package dev.runestone.codegen.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.codegen.ConfigProblem;
import dev.runestone.codegen.LockChange;
import dev.runestone.codegen.LockFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GenerateMojoTest {

    private final Path project = Path.of("/work/shop").toAbsolutePath();

    @Test
    void problems_are_listed_one_a_line_with_paths_relative_to_the_project() {
        List<ConfigProblem> problems = List.of(
                new ConfigProblem(project.resolve("src/main/events/a.json"), "/event/data/x/$ref",
                        "\"$ref\" is not supported; write the schema inline"),
                new ConfigProblem(project.resolve("src/main/events/b.json"), "", "is empty"),
                new ConfigProblem(Path.of("/elsewhere/c.json").toAbsolutePath(), "/event", "oops"));

        assertThat(EventsMojo.describe(problems, project)).isEqualTo("""
                The event configs have 3 problems:
                  src/main/events/a.json#/event/data/x/$ref: "$ref" is not supported; write the schema inline
                  src/main/events/b.json: is empty
                  %s#/event: oops""".formatted(Path.of("/elsewhere/c.json").toAbsolutePath()));
    }

    @Test
    void a_lock_that_is_not_up_to_date_fails_the_check_listing_every_difference() {
        Path config = project.resolve("src/main/events/user-created.json");
        LockFile lock = new LockFile(project.resolve("src/main/events/runestone.lock.json"), "{}\n", List.of(
                new LockChange(config, "/event/data/nickname", "\"user:created\" version 1 "
                        + "[optional-property-added]: adds the optional property \"nickname\""),
                new LockChange(config, "/event/version",
                        "\"user:created\" version 2 [version-added]: adds version 2")));

        assertThat(CheckMojo.notUpToDate(lock, project)).isEqualTo("""
                src/main/events/runestone.lock.json is not up to date with the event configs (2 differences):
                  src/main/events/user-created.json#/event/data/nickname: "user:created" version 1 \
                [optional-property-added]: adds the optional property "nickname"
                  src/main/events/user-created.json#/event/version: "user:created" version 2 [version-added]: \
                adds version 2
                Build outside CI (mvn generate-sources) to update it, review the change, and commit \
                src/main/events/runestone.lock.json""");
    }
}
