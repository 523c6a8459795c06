package dev.runestone;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The shape of a state class as its snapshot JSON has it: for a record its components, for another class its fields
 * that JSON keeps (not static, not transient), for an enum its constants, each with its type, recursively into the
 * application's own types; JDK types count by name. Two shapes give the same fingerprint only if the same JSON fits
 * both, so a snapshot taken with one is never read into the other. Computed once per class; thread-safe.
 */
final class StateFingerprint {

    private static final ClassValue<String> FINGERPRINTS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            StringBuilder shape = new StringBuilder();
            describe(type, shape, new HashSet<>());
            return hash(shape.toString());
        }
    };

    private StateFingerprint() {
    }

    /** The fingerprint of {@code type}'s shape: 16 hexadecimal digits. */
    static String of(Class<?> type) {
        return FINGERPRINTS.get(type);
    }

    private static void describe(Type type, StringBuilder shape, Set<Class<?>> seen) {
        switch (type) {
            case Class<?> plain -> describeClass(plain, shape, seen);
            case ParameterizedType generic -> {
                describe(generic.getRawType(), shape, seen);
                shape.append('<');
                for (Type argument : generic.getActualTypeArguments()) {
                    describe(argument, shape, seen);
                    shape.append(',');
                }
                shape.append('>');
            }
            case GenericArrayType array -> {
                describe(array.getGenericComponentType(), shape, seen);
                shape.append("[]");
            }
            default -> shape.append(type.getTypeName());
        }
    }

    private static void describeClass(Class<?> type, StringBuilder shape, Set<Class<?>> seen) {
        shape.append(type.getName());
        if (type.isPrimitive() || type.isArray() || type.getName().startsWith("java.") || !seen.add(type)) {
            if (type.isArray()) {
                describe(type.getComponentType(), shape, seen);
            }
            return;
        }
        shape.append('{');
        if (type.isEnum()) {
            Arrays.stream(type.getEnumConstants()).forEach(constant -> shape.append(constant).append(';'));
        } else if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                shape.append(component.getName()).append(':');
                describe(component.getGenericType(), shape, seen);
                shape.append(';');
            }
        } else {
            for (Class<?> at = type; at != null && at != Object.class; at = at.getSuperclass()) {
                for (Field field : at.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)) {
                        shape.append(field.getName()).append(':');
                        describe(field.getGenericType(), shape, seen);
                        shape.append(';');
                    }
                }
            }
        }
        shape.append('}');
    }

    private static String hash(String shape) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(shape.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
