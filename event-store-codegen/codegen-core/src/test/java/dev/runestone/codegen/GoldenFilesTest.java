package dev.runestone.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's output for the test configs, and for the last build of the versioned scenario, compared byte for
 * byte with the files under {@code src/test/resources/golden}. After a deliberate change to the output, run once with
 * {@code -Dgolden.update=true} to rewrite them, and review the diff.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GoldenFilesTest {

    /** Read from the source tree, not the test classpath, so that an update is compared with what it wrote. */
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private static final Path ACCOUNTS_LOCK = GOLDEN.resolve("locks/accounts.lock.json");

    @TempDir
    static Path workDir;

    private static GeneratedSources generated;
    private static GeneratedSources accounts;
    private static String accountsLock;

    @BeforeAll
    static void generate() throws IOException {
        generated = TestEvents.generate();
        accounts = TestEvents.generateAccounts(workDir.resolve("events"));
        accountsLock = Files.readString(workDir.resolve("events").resolve(LockFile.DEFAULT_NAME));
        if (Boolean.getBoolean("golden.update")) {
            List<GeneratedFile> files = new ArrayList<>(generated.files());
            files.addAll(accounts.files());
            for (GeneratedFile file : files) {
                write(GOLDEN.resolve(file.relativePath()), file.content());
            }
            for (var schema : generated.schemas().entrySet()) {
                write(GOLDEN.resolve("schemas").resolve(schemaFileName(schema.getKey())), schema.getValue());
            }
            write(ACCOUNTS_LOCK, accountsLock);
        }
    }

    @Test
    void every_generated_file_matches_its_golden_file() {
        List<GeneratedFile> files = new ArrayList<>(generated.files());
        files.addAll(accounts.files());
        for (GeneratedFile file : files) {
            Path golden = GOLDEN.resolve(file.relativePath());
            assertThat(golden).as("golden file of %s", file.qualifiedName()).exists();
            assertThat(file.content()).as(file.qualifiedName()).isEqualTo(TestEvents.read(golden));
        }
    }

    @Test
    void there_is_no_golden_file_that_is_not_generated_any_more() throws IOException {
        assertThat(generated.files()).extracting(GeneratedFile::qualifiedName)
                .containsExactlyElementsOf(goldenClasses(TestEvents.PACKAGE));
        assertThat(accounts.files()).extracting(GeneratedFile::qualifiedName)
                .containsExactlyElementsOf(goldenClasses(TestEvents.ACCOUNTS_PACKAGE));
    }

    @Test
    void every_normalised_schema_matches_its_golden_file() {
        assertThat(generated.schemas()).hasSize(9);
        generated.schemas().forEach((type, schema) -> assertThat(schema).as(type).isEqualTo(TestEvents.read(
                GOLDEN.resolve("schemas").resolve(schemaFileName(type)))));
    }

    @Test
    void the_lock_of_the_versioned_configs_matches_its_golden_file() {
        assertThat(accountsLock).isEqualTo(TestEvents.read(ACCOUNTS_LOCK));
    }

    @Test
    void the_same_configs_give_the_same_bytes_every_time() {
        assertThat(TestEvents.generate()).isEqualTo(generated);
        GeneratedSources again = TestEvents.generateAccounts(workDir.resolve("events"), TestEvents.ACCOUNT_STAGES);
        assertThat(again.files()).isEqualTo(accounts.files());
        assertThat(again.lock().upToDate()).isTrue();
        assertThat(again.lock().content()).isEqualTo(accountsLock);
    }

    /** The classes with a golden file in a package and its sub-packages, by qualified name, sorted. */
    private static List<String> goldenClasses(String packageName) throws IOException {
        try (Stream<Path> files = Files.walk(GOLDEN.resolve(packageName.replace('.', '/')))) {
            return files.filter(path -> path.toString().endsWith(".java"))
                    .map(path -> GOLDEN.relativize(path).toString().replace('\\', '/').replace('/', '.')
                            .replace(".java", ""))
                    .sorted()
                    .toList();
        }
    }

    private static void write(Path target, String content) throws IOException {
        Files.createDirectories(target.getParent());
        Files.writeString(target, content);
    }

    private static String schemaFileName(String type) {
        return type.replace(':', '.') + ".schema.json";
    }
}
