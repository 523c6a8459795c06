package dev.runestone.codegen.maven;

import dev.runestone.codegen.ConfigProblem;
import dev.runestone.codegen.EventCodeGenerator;
import dev.runestone.codegen.EventConfigException;
import dev.runestone.codegen.GeneratedSources;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates a sealed event interface, a validated record per event type and a registry from the project's JSON
 * event configs, and adds them to the sources to compile.
 *
 * <p>Only files whose content changed are written, so an unchanged build recompiles nothing; files generated before
 * whose event is gone are deleted. The package's folder under {@code outputDirectory} belongs to this goal: any other
 * {@code .java} file in it is deleted too.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {

    /** The folders holding the event configs; every {@code .json} file below them is read. */
    @Parameter(property = "runestone.inputDirectories", defaultValue = "${project.basedir}/src/main/events")
    private List<File> inputDirectories = new ArrayList<>();

    /** Where the Java sources go; it is added to the project's compile source roots. */
    @Parameter(property = "runestone.outputDirectory", required = true,
            defaultValue = "${project.build.directory}/generated-sources/runestone")
    private File outputDirectory;

    /** The package of the generated types, e.g. {@code com.example.events}. */
    @Parameter(property = "runestone.packageName", required = true)
    private String packageName;

    /** The simple name of the generated sealed interface, e.g. {@code UserEvent}. */
    @Parameter(property = "runestone.interfaceName", required = true)
    private String interfaceName;

    /** Skips the goal; nothing is generated and no source root is added. */
    @Parameter(property = "runestone.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping event generation (runestone.skip)");
            return;
        }
        Path basedir = project.getBasedir().toPath();
        GeneratedSources sources;
        try {
            sources = EventCodeGenerator.builder()
                    .inputs(inputDirectories.stream().map(File::toPath).toList())
                    .packageName(packageName)
                    .interfaceName(interfaceName)
                    .build()
                    .generate();
        } catch (IllegalStateException e) {
            throw new MojoExecutionException("runestone:generate is misconfigured: " + e.getMessage(), e);
        } catch (EventConfigException e) {
            // Without the cause: Maven would print its message, the same problems again, after this one.
            throw new MojoFailureException(describe(e.problems(), basedir));
        }
        Path output = outputDirectory.toPath();
        OutputSync.Outcome outcome;
        try {
            outcome = OutputSync.sync(output, packageName, sources.files());
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write the generated sources to " + output + ": "
                    + e.getMessage(), e);
        }
        getLog().info(String.format("Generated %d event types into %s: %d written, %d unchanged, %d deleted",
                sources.schemas().size(), relative(output, basedir), outcome.written(), outcome.unchanged(),
                outcome.deleted()));
        project.addCompileSourceRoot(output.toString());
    }

    /** Every problem on its own line, with files shown relative to the project. */
    static String describe(List<ConfigProblem> problems, Path basedir) {
        String heading = problems.size() == 1 ? "The event configs have 1 problem:"
                : "The event configs have " + problems.size() + " problems:";
        return problems.stream()
                .map(problem -> "  " + problem.format(relative(problem.file(), basedir)))
                .collect(Collectors.joining("\n", heading + "\n", ""));
    }

    private static String relative(Path file, Path basedir) {
        Path absolute = file.toAbsolutePath().normalize();
        Path base = basedir.toAbsolutePath().normalize();
        return (absolute.startsWith(base) ? base.relativize(absolute) : absolute).toString().replace('\\', '/');
    }
}
