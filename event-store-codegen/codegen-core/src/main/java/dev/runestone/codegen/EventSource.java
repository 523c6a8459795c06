package dev.runestone.codegen;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event as written in a config file.
 *
 * @param file    the file it is in
 * @param pointer where in the file, e.g. {@code /event} or {@code /events/2}
 * @param node    the event object
 */
record EventSource(ConfigFile file, String pointer, ObjectNode node) {
}
