package dev.runestone.testkit.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Catches two processes handling events of one stream at the same time, through marker files that every process
 * on the machine sees: while a handler runs, its process has a file named after its pid in the stream's directory,
 * and it looks for the files of other live processes when it starts and when it ends. Of two handlers that overlap,
 * the one that starts later finds the other's file, so no overlap goes unseen, whatever the timing. Thread-safe.
 */
final class StreamGuard {

    /** Work on one event, inside the guard. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private final Path root;
    private final Journal.Writer journal;
    private final long pid = ProcessHandle.current().pid();

    StreamGuard(Path root, Journal.Writer journal) {
        this.root = root;
        this.journal = journal;
    }

    /** Runs {@code work} for event {@code n} of {@code stream}, recording a breach if another process is inside. */
    void run(String stream, long n, Work work) throws Exception {
        Path directory = Files.createDirectories(root.resolve(stream));
        Path marker = Files.createFile(directory.resolve(Long.toString(pid)));
        try {
            checkAlone(directory, stream, n);
            work.run();
            checkAlone(directory, stream, n);
        } finally {
            Files.delete(marker);
        }
    }

    private void checkAlone(Path directory, String stream, long n) throws IOException {
        try (DirectoryStream<Path> markers = Files.newDirectoryStream(directory)) {
            for (Path marker : markers) {
                long other = Long.parseLong(marker.getFileName().toString());
                if (other == pid) {
                    continue;
                }
                if (ProcessHandle.of(other).map(ProcessHandle::isAlive).orElse(false)) {
                    journal.breach("overlap: stream " + stream + ", event n=" + n + ", also handled by process "
                            + other);
                } else {
                    // Left behind by a process killed inside a handler.
                    Files.deleteIfExists(marker);
                }
            }
        }
    }
}
