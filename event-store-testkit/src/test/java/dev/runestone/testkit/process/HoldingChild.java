package dev.runestone.testkit.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child for the tests of the process machinery. Arguments: a directory, then a stream. It leaves
 * {@code shut-down} in the directory if its shutdown hooks run, enters the stream's {@link StreamGuard}, leaves
 * {@code inside} in the directory, and stays there until it is killed.
 */
final class HoldingChild {

    private HoldingChild() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.createFile(directory.resolve("shut-down"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        StreamGuard guard = new StreamGuard(directory.resolve("streams"), new Journal.Writer(directory));
        guard.run(args[1], 0, () -> {
            Files.createFile(directory.resolve("inside"));
            Thread.currentThread().join();
        });
    }
}
