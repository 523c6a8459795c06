package dev.runestone.testkit.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChildJvmsTest {

    @TempDir
    Path directory;

    @Test
    void a_killed_child_ends_by_sigkill_without_running_its_shutdown_hooks() throws Exception {
        try (ChildJvms children = new ChildJvms(directory)) {
            Process child = children.start(HoldingChild.class, List.of(directory.toString(), "task-1"));
            awaitFile(directory.resolve("inside"), child);

            children.kill(child);

            assertThat(child.exitValue()).isEqualTo(ChildJvms.KILLED);
            assertThat(directory.resolve("shut-down")).doesNotExist();
        }
    }

    @Test
    void a_child_that_ended_before_the_kill_fails_the_test() throws Exception {
        try (ChildJvms children = new ChildJvms(directory)) {
            Process child = children.start(HoldingChild.class, List.of());
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> children.kill(child)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("ended by itself");
        }
    }

    @Test
    void closing_kills_the_children_still_running() throws Exception {
        Process child;
        try (ChildJvms children = new ChildJvms(directory)) {
            child = children.start(HoldingChild.class, List.of(directory.toString(), "task-1"));
            awaitFile(directory.resolve("inside"), child);
        }

        assertThat(child.isAlive()).isFalse();
    }

    static void awaitFile(Path file, Process child) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file)) {
            assertThat(child.isAlive()).as("child still running").isTrue();
            assertThat(System.nanoTime()).as("time left to wait for " + file).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
