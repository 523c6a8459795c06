package dev.runestone.testkit.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child JVMs on this JVM's classpath, each running a main class with its output in a log file of its own; killed
 * with SIGKILL when asked and, whatever happened, on {@link #close()}, so that a failed test leaves none behind.
 * Public for the crash tests of adapter modules that run children of their own. Not thread-safe.
 */
public final class ChildJvms implements AutoCloseable {

    /** The exit value of a process that SIGKILL (signal 9) ended: 128 plus the signal. */
    static final int KILLED = 128 + 9;

    private static final long EXIT_SECONDS = 30;

    private final Path logs;
    private final List<Process> started = new ArrayList<>();

    /** Children to come, whose logs go to {@code logs}, an existing directory. */
    public ChildJvms(Path logs) {
        this.logs = logs;
    }

    /** Starts {@code main} with {@code arguments}; its output goes to {@code child-<n>.log} in the log directory. */
    public Process start(Class<?> main, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                // Small, quick to start, and sparing with the CPU that the other JVMs of the test share.
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                // sqlite-jdbc loads a native library; without this, newer JDKs print a warning into the log.
                "--enable-native-access=ALL-UNNAMED",
                main.getName()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log(started.size()).toFile())
                .start();
        started.add(process);
        return process;
    }

    /** The log file of the {@code n}th child started, from 0. */
    Path log(int n) {
        return logs.resolve("child-" + n + ".log");
    }

    /**
     * Kills {@code process} with SIGKILL, which gives it no chance to run shutdown hooks, finally blocks or
     * anything else, and waits until it is gone.
     *
     * @throws AssertionError if it had already ended, or did not end by SIGKILL
     */
    public void kill(Process process) throws InterruptedException {
        if (!process.isAlive()) {
            throw new AssertionError("Child process " + process.pid() + " ended by itself with exit value "
                    + process.exitValue() + " before it was to be killed; see " + log(started.indexOf(process)));
        }
        // On Unix, destroyForcibly sends SIGKILL; the exit value below proves that this is what ended it.
        process.destroyForcibly();
        if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("Child process " + process.pid() + " still runs " + EXIT_SECONDS
                    + " s after SIGKILL");
        }
        if (process.exitValue() != KILLED) {
            throw new AssertionError("Child process " + process.pid() + " ended with exit value "
                    + process.exitValue() + ", not " + KILLED + " (SIGKILL)");
        }
    }

    /** Kills every child still running and waits for each to be gone. */
    @Override
    public void close() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
        }
        for (Process process : started) {
            process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
