package dev.runestone.codegen.processor;

import dev.runestone.codegen.ConfigProblem;
import dev.runestone.codegen.EventCodeGenerator;
import dev.runestone.codegen.EventConfigException;
import dev.runestone.codegen.GeneratedFile;
import dev.runestone.codegen.GeneratedSources;
import dev.runestone.codegen.LockChange;
import dev.runestone.codegen.LockFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Runs {@link EventCodeGenerator} for each element annotated with {@link GenerateEvents} and writes the sources
 * through javac's {@link javax.annotation.processing.Filer}, so javac compiles them in the same run. Problems in the
 * configs, breaking changes included, are reported as compiler errors on the annotation, one per problem. The lock
 * file is written beside the configs, outside javac's output, since it belongs in version control.
 */
public final class GenerateEventsProcessor extends AbstractProcessor {

    /** The processor option that relative config paths are resolved against. */
    public static final String BASEDIR_OPTION = "runestone.basedir";

    /**
     * The processor option that says whether to write the lock file when the configs add to it: {@code true} or
     * {@code false}. By default true, except under continuous integration, where a lock that is not up to date is an
     * error instead.
     */
    public static final String UPDATE_LOCK_OPTION = "runestone.updateLock";

    private final Set<String> generated = new HashSet<>();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(GenerateEvents.class.getCanonicalName());
    }

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(BASEDIR_OPTION, UPDATE_LOCK_OPTION);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (Element element : round.getElementsAnnotatedWith(GenerateEvents.class)) {
            GenerateEvents annotation = element.getAnnotation(GenerateEvents.class);
            AnnotationMirror mirror = mirrorOf(element);
            String packageName = annotation.packageName().isEmpty()
                    ? processingEnv.getElementUtils().getPackageOf(element).getQualifiedName().toString()
                    : annotation.packageName();
            if (packageName.isEmpty()) {
                error("@GenerateEvents needs a package: set packageName, or annotate an element in a named package",
                        element, mirror);
                continue;
            }
            if (!generated.add(packageName + "." + annotation.interfaceName())) {
                continue;
            }
            generate(element, mirror, annotation, packageName);
        }
        return true;
    }

    private void generate(Element element, AnnotationMirror mirror, GenerateEvents annotation, String packageName) {
        List<Path> inputs = new ArrayList<>();
        Path base = null;
        for (String config : annotation.configs()) {
            Optional<Located> found = locate(config, element);
            if (found.isEmpty()) {
                error("Cannot find the event configs \"" + config + "\": looked in the annotated file's folder and "
                        + "each folder above it. Pass -A" + BASEDIR_OPTION + "=<project folder> or use an absolute "
                        + "path", element, mirror);
                return;
            }
            inputs.add(found.get().path());
            base = base == null ? found.get().base() : base;
        }
        EventCodeGenerator.Builder builder = EventCodeGenerator.builder().inputs(inputs);
        if (!annotation.lockFile().isEmpty()) {
            Path lockFile = Path.of(annotation.lockFile());
            builder.lockFile(lockFile.isAbsolute() || base == null ? lockFile : base.resolve(lockFile));
        }
        GeneratedSources sources;
        try {
            sources = builder
                    .packageName(packageName)
                    .interfaceName(annotation.interfaceName())
                    .build()
                    .generate();
        } catch (IllegalStateException e) {
            error("@GenerateEvents is misconfigured: " + e.getMessage(), element, mirror);
            return;
        } catch (EventConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                error(problem.toString(), element, mirror);
            }
            return;
        } catch (UncheckedIOException e) {
            error("Cannot read the event configs: " + e.getMessage(), element, mirror);
            return;
        }
        for (GeneratedFile file : sources.files()) {
            try {
                JavaFileObject source = processingEnv.getFiler().createSourceFile(file.qualifiedName(), element);
                try (Writer writer = source.openWriter()) {
                    writer.write(file.content());
                }
            } catch (IOException e) {
                error("Cannot write " + file.qualifiedName() + ": " + e.getMessage(), element, mirror);
            }
        }
        if (sources.lock() != null) {
            updateLock(sources.lock(), element, mirror);
        }
    }

    /**
     * Writes the lock when the configs add to it, one note per change; or, when the lock must not be written here,
     * reports each difference as an error, since a javac-only build has no later check.
     */
    private void updateLock(LockFile lock, Element element, AnnotationMirror mirror) {
        if (lock.upToDate()) {
            return;
        }
        boolean write;
        try {
            write = LockFile.written(processingEnv.getOptions().get(UPDATE_LOCK_OPTION), System.getenv());
        } catch (IllegalArgumentException e) {
            error("-A" + UPDATE_LOCK_OPTION + "=" + e.getMessage() + "; pass -A" + UPDATE_LOCK_OPTION
                    + "=true to write the lock, or false to only check it", element, mirror);
            return;
        }
        if (!write) {
            for (LockChange change : lock.changes()) {
                error(lock.path() + " is not up to date: " + change, element, mirror);
            }
            error("Build outside CI, or with -A" + UPDATE_LOCK_OPTION + "=true, and commit " + lock.path(), element,
                    mirror);
            return;
        }
        try {
            lock.write();
        } catch (IOException e) {
            error("Cannot write the lock file " + lock.path() + ": " + e.getMessage(), element, mirror);
            return;
        }
        for (LockChange change : lock.changes()) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, "Updated " + lock.path() + ": " + change,
                    element, mirror);
        }
    }

    /**
     * A config path found on disk.
     *
     * @param path the config folder or file
     * @param base the folder the path was resolved against, which a relative lock file is resolved against too
     */
    private record Located(Path path, Path base) {
    }

    /**
     * Finds a config path: as is when absolute; against {@code -Arunestone.basedir} when given; else from the folder
     * of the annotated source file upwards, and last against the working folder.
     */
    private Optional<Located> locate(String config, Element element) {
        Path path = Path.of(config);
        if (path.isAbsolute()) {
            return Optional.of(path).filter(Files::exists)
                    .map(found -> new Located(found, Path.of("").toAbsolutePath()));
        }
        String basedir = processingEnv.getOptions().get(BASEDIR_OPTION);
        if (basedir != null) {
            return Optional.of(Path.of(basedir).resolve(path)).filter(Files::exists)
                    .map(found -> new Located(found, Path.of(basedir)));
        }
        Optional<Path> source = sourceFolder(element);
        for (Path folder = source.orElse(null); folder != null; folder = folder.getParent()) {
            Path candidate = folder.resolve(path);
            if (Files.exists(candidate)) {
                return Optional.of(new Located(candidate, folder));
            }
        }
        Path working = Path.of("").toAbsolutePath();
        return Optional.of(working.resolve(path)).filter(Files::exists).map(found -> new Located(found, working));
    }

    private Optional<Path> sourceFolder(Element element) {
        Element holder = element instanceof PackageElement || element instanceof TypeElement ? element
                : element.getEnclosingElement();
        try {
            JavaFileObject file = processingEnv.getElementUtils().getFileObjectOf(holder);
            if (file == null) {
                return Optional.empty();
            }
            URI uri = file.toUri();
            if (!"file".equals(uri.getScheme())) {
                return Optional.empty();
            }
            return Optional.ofNullable(Path.of(uri).getParent());
        } catch (RuntimeException e) {
            // Not every compiler can say where a source file is; fall back to the working folder.
            return Optional.empty();
        }
    }

    private static AnnotationMirror mirrorOf(Element element) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (mirror.getAnnotationType().toString().equals(GenerateEvents.class.getCanonicalName())) {
                return mirror;
            }
        }
        throw new IllegalStateException("@GenerateEvents not found on " + element);
    }

    private void error(String message, Element element, AnnotationMirror mirror) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, element, mirror);
    }
}
