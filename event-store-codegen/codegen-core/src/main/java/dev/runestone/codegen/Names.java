package dev.runestone.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.lang.model.SourceVersion;

/** How config names become Java names. */
final class Names {

    /** Methods every record has; a component with one of these names does not compile. */
    private static final Set<String> RECORD_METHODS = Set.of("clone", "finalize", "getClass", "hashCode", "notify",
            "notifyAll", "toString", "wait");

    /**
     * Simple names of the types generated code refers to. A generated class with one of these names would hide the
     * type it stands for, so the generator refuses it.
     */
    static final Set<String> RESERVED = Set.of("String", "Long", "Boolean", "Object", "Override", "Deprecated",
            "SuppressWarnings", "List", "ArrayList", "Collections", "UUID", "BigDecimal", "OffsetDateTime",
            "LocalDate", "URI", "Pattern", "JsonProperty", "JsonValue", "JsonInclude", "Nullable", "Violation",
            "EventValidationException", "EventRegistry");

    private Names() {
    }

    /** {@code user:email-set} becomes {@code UserEmailSet}; empty if nothing usable is left. */
    static String className(String type) {
        StringBuilder name = new StringBuilder();
        for (String word : words(type)) {
            name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return name.toString();
    }

    /** {@code read-only} becomes {@code READ_ONLY}, {@code inProgress} becomes {@code IN_PROGRESS}. */
    static String constantName(String value) {
        List<String> words = new ArrayList<>();
        for (String word : words(value)) {
            words.addAll(List.of(word.split("(?<=[a-z0-9])(?=[A-Z])")));
        }
        if (words.isEmpty()) {
            return value.isEmpty() ? "EMPTY" : "";
        }
        String name = String.join("_", words).toUpperCase(Locale.ROOT);
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    /** {@code first-name} becomes {@code firstName}: a suggestion for {@code x-java-name}. */
    static String camelCase(String name) {
        String className = className(name);
        if (className.isEmpty()) {
            return "value";
        }
        String camel = Character.toLowerCase(className.charAt(0)) + className.substring(1);
        return isUsableComponentName(camel) ? camel : camel + "Value";
    }

    /** The class of one element of a list property: {@code lines} gives {@code Line}, {@code tags} gives {@code Tag}. */
    static String elementClassName(String listClassName) {
        String name = listClassName;
        if (name.endsWith("ies") && name.length() > 3) {
            return name.substring(0, name.length() - 3) + "y";
        }
        for (String suffix : List.of("sses", "shes", "ches", "xes", "zes")) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                return name.substring(0, name.length() - 2);
            }
        }
        if (name.endsWith("s") && !name.endsWith("ss") && !name.endsWith("us") && !name.endsWith("is")
                && name.length() > 1) {
            return name.substring(0, name.length() - 1);
        }
        return name + "Item";
    }

    static String capitalise(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    static boolean isUsableComponentName(String name) {
        return SourceVersion.isIdentifier(name) && !SourceVersion.isKeyword(name, SourceVersion.RELEASE_21)
                && !RECORD_METHODS.contains(name);
    }

    static boolean isClassName(String name) {
        return SourceVersion.isIdentifier(name) && !SourceVersion.isKeyword(name, SourceVersion.RELEASE_21)
                && !name.contains("$");
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.split("[^\\p{Alnum}]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }
}
