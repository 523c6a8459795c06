package dev.runestone.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The generator's output for the test configs, compared byte for byte with the files under
 * {@code src/test/resources/golden}. After a deliberate change to the output, run once with
 * {@code -Dgolden.update=true} to rewrite them, and review the diff.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GoldenFilesTest {

    /** Read from the source tree, not the test classpath, so that an update is compared with what it wrote. */
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private static GeneratedSources generated;

    @BeforeAll
    static void generate() throws IOException {
        generated = TestEvents.generate();
        if (Boolean.getBoolean("golden.update")) {
            for (GeneratedFile file : generated.files()) {
                Path target = GOLDEN.resolve(file.relativePath());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.content());
            }
            for (var schema : generated.schemas().entrySet()) {
                Path target = GOLDEN.resolve("schemas").resolve(schemaFileName(schema.getKey()));
                Files.createDirectories(target.getParent());
                Files.writeString(target, schema.getValue());
            }
        }
    }

    @Test
    void every_generated_file_matches_its_golden_file() {
        for (GeneratedFile file : generated.files()) {
            Path golden = GOLDEN.resolve(file.relativePath());
            assertThat(golden).as("golden file of %s", file.qualifiedName()).exists();
            assertThat(file.content()).as(file.qualifiedName()).isEqualTo(TestEvents.read(golden));
        }
    }

    @Test
    void there_is_no_golden_file_that_is_not_generated_any_more() throws IOException {
        Path goldenPackage = GOLDEN.resolve(TestEvents.PACKAGE.replace('.', '/'));
        List<String> expected;
        try (Stream<Path> files = Files.list(goldenPackage)) {
            expected = files.map(path -> TestEvents.PACKAGE + "." + path.getFileName().toString()
                    .replace(".java", "")).sorted().toList();
        }
        assertThat(generated.files()).extracting(GeneratedFile::qualifiedName).containsExactlyElementsOf(expected);
    }

    @Test
    void every_normalised_schema_matches_its_golden_file() {
        assertThat(generated.schemas()).hasSize(9);
        generated.schemas().forEach((type, schema) -> assertThat(schema).as(type).isEqualTo(TestEvents.read(
                GOLDEN.resolve("schemas").resolve(schemaFileName(type)))));
    }

    @Test
    void the_same_configs_give_the_same_bytes_every_time() {
        assertThat(TestEvents.generate()).isEqualTo(generated);
    }

    private static String schemaFileName(String type) {
        return type.replace(':', '.') + ".schema.json";
    }
}
