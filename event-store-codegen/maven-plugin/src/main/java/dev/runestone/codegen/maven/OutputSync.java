package dev.runestone.codegen.maven;

import dev.runestone.codegen.GeneratedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Brings an output folder in line with freshly generated files without touching what did not change, so that the
 * compiler's staleness check sees no change when there was none.
 */
final class OutputSync {

    private OutputSync() {
    }

    /**
     * What a sync did.
     *
     * @param written   files created or rewritten because their content changed
     * @param unchanged files left alone because their bytes were already right
     * @param deleted   {@code .java} files in the package folders that were not generated this time
     */
    record Outcome(int written, int unchanged, int deleted) {
    }

    /**
     * Writes each file whose bytes differ from what is on disk, and deletes every other {@code .java} file directly
     * in the packages' folders.
     *
     * @param packageNames the packages the generated files go in, whose folders belong to the generator
     */
    static Outcome sync(Path outputDirectory, List<String> packageNames, List<GeneratedFile> files)
            throws IOException {
        int written = 0;
        int unchanged = 0;
        Set<Path> generated = new HashSet<>();
        for (GeneratedFile file : files) {
            Path target = outputDirectory.resolve(file.relativePath()).toAbsolutePath().normalize();
            generated.add(target);
            byte[] content = file.content().getBytes(StandardCharsets.UTF_8);
            if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content)) {
                unchanged++;
            } else {
                Files.createDirectories(target.getParent());
                Files.write(target, content);
                written++;
            }
        }
        int deleted = 0;
        for (String packageName : packageNames) {
            Path packageDirectory = outputDirectory.resolve(packageName.replace('.', '/'));
            if (!Files.isDirectory(packageDirectory)) {
                continue;
            }
            List<Path> stale;
            try (Stream<Path> children = Files.list(packageDirectory)) {
                stale = children
                        .filter(path -> path.getFileName().toString().endsWith(".java"))
                        .filter(path -> !generated.contains(path.toAbsolutePath().normalize()))
                        .toList();
            }
            for (Path path : stale) {
                Files.delete(path);
                deleted++;
            }
        }
        return new Outcome(written, unchanged, deleted);
    }
}
