package dev.runestone.codegen.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.codegen.ConfigProblem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GenerateMojoTest {

    @Test
    void problems_are_listed_one_a_line_with_paths_relative_to_the_project() {
        Path project = Path.of("/work/shop").toAbsolutePath();
        List<ConfigProblem> problems = List.of(
                new ConfigProblem(project.resolve("src/main/events/a.json"), "/event/data/x/$ref",
                        "\"$ref\" is not supported; write the schema inline"),
                new ConfigProblem(project.resolve("src/main/events/b.json"), "", "is empty"),
                new ConfigProblem(Path.of("/elsewhere/c.json").toAbsolutePath(), "/event", "oops"));

        assertThat(GenerateMojo.describe(problems, project)).isEqualTo("""
                The event configs have 3 problems:
                  src/main/events/a.json#/event/data/x/$ref: "$ref" is not supported; write the schema inline
                  src/main/events/b.json: is empty
                  %s#/event: oops""".formatted(Path.of("/elsewhere/c.json").toAbsolutePath()));
    }
}
