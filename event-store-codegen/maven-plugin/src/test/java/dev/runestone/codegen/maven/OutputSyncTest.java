package dev.runestone.codegen.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.codegen.GeneratedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OutputSyncTest {

    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    private static final List<String> PACKAGES = List.of("com.example", "com.example.versions");

    @TempDir
    Path output;

    @Test
    void writes_every_file_into_an_empty_folder() throws IOException {
        OutputSync.Outcome outcome = OutputSync.sync(output, PACKAGES,
                List.of(file("com.example.A", "a"), file("com.example.B", "b")));

        assertThat(outcome).isEqualTo(new OutputSync.Outcome(2, 0, 0));
        assertThat(output.resolve("com/example/A.java")).hasContent("a");
    }

    @Test
    void leaves_a_file_whose_bytes_are_unchanged_untouched() throws IOException {
        OutputSync.sync(output, PACKAGES, List.of(file("com.example.A", "a"), file("com.example.B", "b")));
        Files.setLastModifiedTime(output.resolve("com/example/A.java"), LONG_AGO);
        Files.setLastModifiedTime(output.resolve("com/example/B.java"), LONG_AGO);

        OutputSync.Outcome outcome = OutputSync.sync(output, PACKAGES,
                List.of(file("com.example.A", "a"), file("com.example.B", "b2")));

        assertThat(outcome).isEqualTo(new OutputSync.Outcome(1, 1, 0));
        assertThat(Files.getLastModifiedTime(output.resolve("com/example/A.java"))).isEqualTo(LONG_AGO);
        assertThat(output.resolve("com/example/B.java")).hasContent("b2");
    }

    @Test
    void deletes_java_files_in_the_package_that_were_not_generated_this_time() throws IOException {
        OutputSync.sync(output, PACKAGES, List.of(file("com.example.A", "a"), file("com.example.Gone", "g")));
        Files.writeString(output.resolve("com/example/notes.txt"), "kept");
        Files.createDirectories(output.resolve("com/other"));
        Files.writeString(output.resolve("com/other/Other.java"), "kept");

        OutputSync.Outcome outcome = OutputSync.sync(output, PACKAGES, List.of(file("com.example.A", "a")));

        assertThat(outcome).isEqualTo(new OutputSync.Outcome(0, 1, 1));
        assertThat(output.resolve("com/example/Gone.java")).doesNotExist();
        assertThat(output.resolve("com/example/notes.txt")).exists();
        assertThat(output.resolve("com/other/Other.java")).exists();
    }

    @Test
    void deletes_stale_records_of_older_versions_too() throws IOException {
        OutputSync.sync(output, PACKAGES, List.of(file("com.example.A", "a"), file("com.example.versions.AV1", "v")));

        OutputSync.Outcome outcome = OutputSync.sync(output, PACKAGES, List.of(file("com.example.A", "a")));

        assertThat(outcome).isEqualTo(new OutputSync.Outcome(0, 1, 1));
        assertThat(output.resolve("com/example/versions/AV1.java")).doesNotExist();
    }

    private static GeneratedFile file(String name, String content) {
        return new GeneratedFile(name, content);
    }
}
