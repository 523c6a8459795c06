package dev.runestone.codegen;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runestone.EventValidationException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jspecify.annotations.Nullable;

/** Compiles Java sources in process, the way a user's build would, against core, Jackson and JSpecify. */
final class JavaCompilation {

    /** What the compiler reported and, when it succeeded, a loader for the compiled classes. */
    record Result(boolean success, List<Diagnostic<? extends JavaFileObject>> diagnostics,
            @Nullable ClassLoader loader) {

        List<String> messages(Diagnostic.Kind kind) {
            return diagnostics.stream().filter(diagnostic -> diagnostic.getKind() == kind)
                    .map(JavaCompilation::describe).toList();
        }

        List<String> warnings() {
            List<String> warnings = new ArrayList<>(messages(Diagnostic.Kind.WARNING));
            warnings.addAll(messages(Diagnostic.Kind.MANDATORY_WARNING));
            return warnings;
        }

        Class<?> load(String name) throws ClassNotFoundException {
            if (loader == null) {
                throw new IllegalStateException("the compilation failed: " + messages(Diagnostic.Kind.ERROR));
            }
            return Class.forName(name, true, loader);
        }
    }

    private JavaCompilation() {
    }

    /**
     * Compiles {@code sources} (qualified name to source text) with {@code -Xlint:all}.
     *
     * @param workDir an empty folder for the sources and classes
     */
    static Result compile(Path workDir, Map<String, String> sources, String... extraOptions) {
        try {
            Path sourceDir = Files.createDirectories(workDir.resolve("src"));
            Path classDir = Files.createDirectories(workDir.resolve("classes"));
            List<File> files = new ArrayList<>();
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = sourceDir.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                files.add(file.toFile());
            }
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            List<String> options = new ArrayList<>(List.of("--release", "21", "-Xlint:all", "-proc:none",
                    "-classpath", classpath(), "-d", classDir.toString()));
            options.addAll(List.of(extraOptions));
            boolean success;
            try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                    null)) {
                success = compiler.getTask(null, fileManager, diagnostics, options, null,
                        fileManager.getJavaFileObjectsFromFiles(files)).call();
            }
            ClassLoader loader = success
                    ? new URLClassLoader(new URL[] {classDir.toUri().toURL()}, JavaCompilation.class.getClassLoader())
                    : null;
            return new Result(success, diagnostics.getDiagnostics(), loader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Core, Jackson and JSpecify: what a project using generated events has on its classpath. */
    static String classpath() {
        return Stream.of(EventValidationException.class, ObjectMapper.class, JsonProperty.class,
                        com.fasterxml.jackson.core.JsonParser.class, Nullable.class)
                .map(JavaCompilation::location)
                .distinct()
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String describe(Diagnostic<? extends JavaFileObject> diagnostic) {
        String file = diagnostic.getSource() == null ? "" : Path.of(diagnostic.getSource().toUri()).getFileName()
                + ":" + diagnostic.getLineNumber() + ": ";
        return file + diagnostic.getMessage(Locale.ROOT);
    }
}
