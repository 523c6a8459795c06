package dev.runestone.codegen.maven;

import dev.runestone.codegen.GeneratedSources;
import dev.runestone.codegen.LockFile;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Fails the build unless the lock file already holds what the event configs need: every type and version, every
 * compatible change, every retirement, and no breaking change. Writes nothing, so a lock change that was not
 * committed fails continuous integration.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckMojo extends EventsMojo {

    @Override
    String goal() {
        return "check";
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip()) {
            return;
        }
        GeneratedSources sources = generate();
        LockFile lock = lockOf(sources);
        Path basedir = basedir();
        String name = relative(lock.path(), basedir);
        if (!lock.upToDate()) {
            throw new MojoFailureException(notUpToDate(lock, basedir));
        }
        int types = sources.schemas().size();
        getLog().info(name + " is up to date with the event configs (" + types
                + (types == 1 ? " event type)" : " event types)"));
    }

    /** The failure: the lock, every difference on its own line, and what to do. */
    static String notUpToDate(LockFile lock, Path basedir) {
        String name = relative(lock.path(), basedir);
        int count = lock.changes().size();
        return name + " is not up to date with the event configs (" + count
                + (count == 1 ? " difference" : " differences") + "):\n" + String.join("\n", describe(lock, basedir))
                + "\nBuild outside CI (mvn generate-sources) to update it, review the change, and commit " + name;
    }
}
