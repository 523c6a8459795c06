package dev.runestone.codegen;

import java.nio.file.Path;

/**
 * The text of one config file.
 *
 * @param path the file as given, used in problems
 * @param name the file's name relative to its input folder, used in generated comments so that they do not depend
 *             on where the project is checked out
 * @param text the file's content
 */
record ConfigFile(Path path, String name, String text) {
}
