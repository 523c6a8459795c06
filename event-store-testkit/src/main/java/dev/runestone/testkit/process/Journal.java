package dev.runestone.testkit.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the children did outside the database, one file per process: each run of the plain {@code once} handler,
 * and each breach of the rules a child saw for itself (a handler run although its ledger entry existed; another live
 * process handling the same stream at the same time). A line goes to the file in one {@code write} call, so a SIGKILL
 * does not leave half a line, and the operating system keeps what was written when the process dies.
 *
 * @param notified for each process, the events it ran the plain {@code once} handler for, in the order it did
 * @param breaches every breach, naming the process that saw it
 */
record Journal(Map<Long, List<UUID>> notified, List<String> breaches) {

    private static final String NOTIFIED = "notified ";

    /** Reads the journals of every child that ran in {@code directory}. */
    static Journal read(Path directory) throws IOException {
        Map<Long, List<UUID>> notified = new HashMap<>();
        List<String> breaches = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "journal-*.txt")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                long pid = Long.parseLong(name.substring("journal-".length(), name.length() - ".txt".length()));
                List<UUID> events = new ArrayList<>();
                notified.put(pid, events);
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.startsWith(NOTIFIED)) {
                        events.add(UUID.fromString(line.substring(NOTIFIED.length())));
                    } else {
                        breaches.add("process " + pid + ": " + line);
                    }
                }
            }
        }
        return new Journal(notified, breaches);
    }

    /** For each event, the processes that ran the plain {@code once} handler for it, once per run. */
    Map<UUID, List<Long>> runsByEvent() {
        Map<UUID, List<Long>> runs = new HashMap<>();
        notified.forEach((pid, events) -> events.forEach(event ->
                runs.computeIfAbsent(event, id -> new ArrayList<>()).add(pid)));
        return runs;
    }

    /** The journal a child appends to; thread-safe, since every partition worker of the child writes to it. */
    static final class Writer {

        private final FileChannel file;

        Writer(Path directory) throws IOException {
            this.file = FileChannel.open(directory.resolve("journal-" + ProcessHandle.current().pid() + ".txt"),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }

        /** The plain {@code once} handler ran for {@code eventId}. */
        void notified(UUID eventId) throws IOException {
            write(NOTIFIED + eventId);
        }

        /** A rule was broken; {@code what} says which and where. */
        void breach(String what) throws IOException {
            write(what);
        }

        private synchronized void write(String line) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                file.write(bytes);
            }
        }
    }
}
