package dev.runestone.codegen.maven;

import dev.runestone.codegen.ConfigProblem;
import dev.runestone.codegen.EventCodeGenerator;
import dev.runestone.codegen.EventConfigException;
import dev.runestone.codegen.GeneratedSources;
import dev.runestone.codegen.LockChange;
import dev.runestone.codegen.LockFile;
import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.jspecify.annotations.Nullable;

/**
 * What both goals share: the configs, the package and interface they generate, the lock file, and running the
 * generator over them with its problems shown relative to the project.
 */
abstract class EventsMojo extends AbstractMojo {

    /** The folders holding the event configs; every {@code .json} file below them is read. */
    @Parameter(property = "runestone.inputDirectories", defaultValue = "${project.basedir}/src/main/events")
    private List<File> inputDirectories = new ArrayList<>();

    /** The package of the generated types, e.g. {@code com.example.events}. */
    @Parameter(property = "runestone.packageName", required = true)
    private String packageName;

    /** The simple name of the generated sealed interface, e.g. {@code UserEvent}. */
    @Parameter(property = "runestone.interfaceName", required = true)
    private String interfaceName;

    /**
     * The lock file, which keeps the schema of every event type at every version; commit it. By default
     * {@code runestone.lock.json} in the first of the {@code inputDirectories}.
     */
    @Parameter(property = "runestone.lockFile")
    private @Nullable File lockFile;

    /** Skips the goal. */
    @Parameter(property = "runestone.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** The goal's name, for messages. */
    abstract String goal();

    boolean skip() {
        if (skip) {
            getLog().info("Skipping runestone:" + goal() + " (runestone.skip)");
        }
        return skip;
    }

    String packageName() {
        return packageName;
    }

    Path basedir() {
        return project.getBasedir().toPath();
    }

    MavenProject project() {
        return project;
    }

    /** Runs the generator; fails the build, listing every problem, if the configs or the lock have any. */
    GeneratedSources generate() throws MojoExecutionException, MojoFailureException {
        EventCodeGenerator.Builder builder = EventCodeGenerator.builder()
                .inputs(inputDirectories.stream().map(File::toPath).toList());
        if (lockFile != null) {
            builder.lockFile(lockFile.toPath());
        }
        try {
            return builder.packageName(packageName).interfaceName(interfaceName).build().generate();
        } catch (IllegalStateException e) {
            throw new MojoExecutionException("runestone:" + goal() + " is misconfigured: " + e.getMessage(), e);
        } catch (EventConfigException e) {
            // Without the cause: Maven would print its message, the same problems again, after this one.
            throw new MojoFailureException(describe(e.problems(), basedir()));
        } catch (UncheckedIOException e) {
            throw new MojoExecutionException("Cannot read the event configs: " + e.getMessage(), e);
        }
    }

    /** The lock the generator read and checked; there is one, since the goals always give it an input folder. */
    static LockFile lockOf(GeneratedSources sources) throws MojoExecutionException {
        if (sources.lock() == null) {
            throw new MojoExecutionException("No lock file: set inputDirectories or lockFile");
        }
        return sources.lock();
    }

    /** Every problem on its own line, with files shown relative to the project. */
    static String describe(List<ConfigProblem> problems, Path basedir) {
        String heading = problems.size() == 1 ? "The event configs have 1 problem:"
                : "The event configs have " + problems.size() + " problems:";
        return problems.stream()
                .map(problem -> "  " + problem.format(relative(problem.file(), basedir)))
                .collect(Collectors.joining("\n", heading + "\n", ""));
    }

    /** Every change the lock takes in, one a line, with files shown relative to the project. */
    static List<String> describe(LockFile lock, Path basedir) {
        return lock.changes().stream().map((LockChange change) -> "  " + change.format(relative(change.file(),
                basedir))).toList();
    }

    static String relative(Path file, Path basedir) {
        Path absolute = file.toAbsolutePath().normalize();
        Path base = basedir.toAbsolutePath().normalize();
        return (absolute.startsWith(base) ? base.relativize(absolute) : absolute).toString().replace('\\', '/');
    }
}
