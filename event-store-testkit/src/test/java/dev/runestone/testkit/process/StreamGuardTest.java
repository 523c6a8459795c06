package dev.runestone.testkit.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamGuardTest {

    @TempDir
    Path directory;

    @Test
    void a_process_inside_the_same_stream_is_a_breach_and_one_killed_inside_it_is_not() throws Exception {
        StreamGuard guard = new StreamGuard(directory.resolve("streams"), new Journal.Writer(directory));
        try (ChildJvms children = new ChildJvms(directory)) {
            Process child = children.start(HoldingChild.class, List.of(directory.toString(), "task-1"));
            ChildJvmsTest.awaitFile(directory.resolve("inside"), child);

            guard.run("task-2", 7, () -> { });
            assertThat(Journal.read(directory).breaches()).as("breaches in another stream").isEmpty();

            guard.run("task-1", 8, () -> { });
            List<String> breaches = Journal.read(directory).breaches();
            assertThat(breaches).isNotEmpty().allSatisfy(breach -> assertThat(breach)
                    .contains("stream task-1", "n=8", "also handled by process " + child.pid()));

            children.kill(child);
            guard.run("task-1", 9, () -> { });
            assertThat(Journal.read(directory).breaches()).as("breaches after the child was killed")
                    .isEqualTo(breaches);
            assertThat(directory.resolve("streams").resolve("task-1")).isEmptyDirectory();
        }
    }
}
