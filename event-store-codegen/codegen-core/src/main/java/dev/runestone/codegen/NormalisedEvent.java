package dev.runestone.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One event as one full JSON Schema: every object has an explicit {@code required} and
 * {@code additionalProperties: false}, every schema an explicit {@code type}.
 *
 * @param source   the event as written
 * @param type     the event's type string
 * @param version  the version of the type the config describes, from 1
 * @param retired  whether the config retires the type: it generates nothing, and its schema has no data or meta
 * @param schema   the schema of the whole event, an object with properties {@code data} and/or {@code meta}
 * @param pointers for each schema object inside {@code schema} (by identity), where it was written in the config;
 *                 for each {@code properties} object, where its properties are written
 */
record NormalisedEvent(EventSource source, String type, int version, boolean retired, ObjectNode schema,
        Map<JsonNode, String> pointers) {

    /** The simple name of the event's record: its {@code x-java-type}, else one made from the type string. */
    String className() {
        return schema.has("x-java-type") ? schema.get("x-java-type").asText() : Names.className(type);
    }

    /** Where {@code node} came from in the config; the event's own pointer if it was made up by the normaliser. */
    String pointerOf(JsonNode node) {
        return pointers.getOrDefault(node, source.pointer());
    }
}
