package dev.runestone.codegen.maven;

import dev.runestone.codegen.EventCodeGenerator;
import dev.runestone.codegen.GeneratedSources;
import dev.runestone.codegen.LockFile;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.jspecify.annotations.Nullable;

/**
 * Generates a sealed event interface, a validated record per event type and a registry from the project's JSON
 * event configs, and adds them to the sources to compile; for types with versions, also the records of their older
 * versions and the upcaster interfaces. Takes new types, new versions and compatible changes into the lock file, and
 * fails on a breaking change.
 *
 * <p>Only files whose content changed are written, so an unchanged build recompiles nothing; files generated before
 * whose event is gone are deleted. The package's folder under {@code outputDirectory}, and its {@code versions}
 * folder, belong to this goal: any other {@code .java} file in them is deleted too.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends EventsMojo {

    /** Where the Java sources go; it is added to the project's compile source roots. */
    @Parameter(property = "runestone.outputDirectory", required = true,
            defaultValue = "${project.build.directory}/generated-sources/runestone")
    private File outputDirectory;

    /**
     * Whether to write the lock file when the configs add to it. By default yes, except under continuous integration
     * (the environment variable {@code CI} set to anything but {@code false}), where the committed lock must already
     * be right: then the goal only warns, and {@code runestone:check} fails.
     */
    @Parameter(property = "runestone.updateLock")
    private @Nullable String updateLock;

    @Override
    String goal() {
        return "generate";
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip()) {
            return;
        }
        Path basedir = basedir();
        GeneratedSources sources = generate();
        updateLock(lockOf(sources), basedir);
        Path output = outputDirectory.toPath();
        OutputSync.Outcome outcome;
        try {
            outcome = OutputSync.sync(output, EventCodeGenerator.outputPackages(packageName()), sources.files());
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write the generated sources to " + output + ": "
                    + e.getMessage(), e);
        }
        getLog().info(String.format("Generated %d event types into %s: %d written, %d unchanged, %d deleted",
                sources.schemas().size(), relative(output, basedir), outcome.written(), outcome.unchanged(),
                outcome.deleted()));
        project().addCompileSourceRoot(output.toString());
    }

    private void updateLock(LockFile lock, Path basedir) throws MojoExecutionException {
        if (lock.upToDate()) {
            return;
        }
        String name = relative(lock.path(), basedir);
        boolean write;
        try {
            write = LockFile.written(updateLock, System.getenv());
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("runestone.updateLock=" + e.getMessage() + "; set it to true to write "
                    + "the lock, or false to only check it");
        }
        if (!write) {
            getLog().warn(name + " is not up to date with the event configs, and a build under CI does not write "
                    + "it; runestone:check will fail:");
            describe(lock, basedir).forEach(getLog()::warn);
            getLog().warn("Build outside CI, or with -Drunestone.updateLock=true, and commit " + name);
            return;
        }
        try {
            lock.write();
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write the lock file " + lock.path() + ": " + e.getMessage(), e);
        }
        getLog().info("Updated " + name + "; review and commit it:");
        describe(lock, basedir).forEach(getLog()::info);
    }
}
