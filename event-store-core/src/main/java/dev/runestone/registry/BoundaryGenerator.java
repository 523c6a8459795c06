package dev.runestone.registry;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.internal.WellFormedText;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Watches JSON as it is written and notes every value that would not come back unchanged from a database, or that
 * a reader with the same {@link EventLimits} would refuse: too deep, too long, ill-formed Unicode, numbers that
 * PostgreSQL's {@code jsonb} would rewrite. Sees everything a serializer writes, whatever the Java type, so records,
 * maps and JSON trees are held to the same rules.
 *
 * <p>Writing goes on after a finding, so one pass reports them all; only nesting too deep stops it at once.
 */
final class BoundaryGenerator extends JsonGeneratorDelegate {

    /** Ends a write that nests too deep before the recursion goes further. */
    static final class TooDeep extends IOException {
        private static final long serialVersionUID = 1L;

        TooDeep() {
            super(null, null);
        }
    }

    private static final int MOST_FINDINGS = 20;

    private final String root;
    private final EventLimits limits;
    private final List<Violation> violations = new ArrayList<>();

    BoundaryGenerator(JsonGenerator generator, String root, EventLimits limits) {
        super(generator, false);
        this.root = root;
        this.limits = limits;
    }

    /** What broke the rules, in the order written. */
    List<Violation> violations() {
        return violations;
    }

    // Nesting --------------------------------------------------------------------------------------------------------

    @Override
    public void writeStartArray() throws IOException {
        super.writeStartArray();
        checkDepth();
    }

    @Override
    public void writeStartArray(int size) throws IOException {
        super.writeStartArray(size);
        checkDepth();
    }

    @Override
    public void writeStartArray(@Nullable Object forValue) throws IOException {
        super.writeStartArray(forValue);
        checkDepth();
    }

    @Override
    public void writeStartArray(@Nullable Object forValue, int size) throws IOException {
        super.writeStartArray(forValue, size);
        checkDepth();
    }

    @Override
    public void writeStartObject() throws IOException {
        super.writeStartObject();
        checkDepth();
    }

    @Override
    public void writeStartObject(@Nullable Object forValue) throws IOException {
        super.writeStartObject(forValue);
        checkDepth();
    }

    @Override
    public void writeStartObject(@Nullable Object forValue, int size) throws IOException {
        super.writeStartObject(forValue, size);
        checkDepth();
    }

    private void checkDepth() throws TooDeep {
        if (getOutputContext().getNestingDepth() > limits.maxNestingDepth()) {
            violations.add(new Violation(JsonPaths.of(root, getOutputContext().getParent()), "maxNestingDepth",
                    "nests objects and arrays deeper than the limit of " + limits.maxNestingDepth() + " levels"));
            throw new TooDeep();
        }
    }

    // Names and strings ----------------------------------------------------------------------------------------------

    @Override
    public void writeFieldName(String name) throws IOException {
        super.writeFieldName(name);
        checkName(name);
    }

    @Override
    public void writeFieldName(SerializableString name) throws IOException {
        super.writeFieldName(name);
        checkName(name.getValue());
    }

    private void checkName(String name) {
        checkText(name, "a property name", "maxNameLength", limits.maxNameLength());
    }

    @Override
    public void writeString(@Nullable String text) throws IOException {
        super.writeString(text);
        if (text != null) {
            checkString(text);
        }
    }

    @Override
    public void writeString(char[] text, int offset, int length) throws IOException {
        super.writeString(text, offset, length);
        checkString(new String(text, offset, length));
    }

    @Override
    public void writeString(SerializableString text) throws IOException {
        super.writeString(text);
        checkString(text.getValue());
    }

    @Override
    public void writeString(Reader reader, int length) throws IOException {
        char[] text = new char[length];
        int read = 0;
        while (read < length) {
            int count = reader.read(text, read, length - read);
            if (count < 0) {
                break;
            }
            read += count;
        }
        writeString(text, 0, read);
    }

    @Override
    public void writeUTF8String(byte[] text, int offset, int length) throws IOException {
        writeString(new String(text, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void writeRawUTF8String(byte[] text, int offset, int length) throws IOException {
        writeString(new String(text, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void writeArray(String[] array, int offset, int length) throws IOException {
        writeStartArray(array, length);
        for (int i = offset; i < offset + length; i++) {
            writeString(array[i]);
        }
        writeEndArray();
    }

    private void checkString(String text) {
        checkText(text, "a string", "maxStringLength", limits.maxStringLength());
    }

    private void checkText(String text, String kind, String rule, int limit) {
        if (text.length() > limit) {
            note(rule, "is " + kind + " of " + text.length() + " characters, more than the limit of " + limit);
        }
        String problem = WellFormedText.problem(text);
        if (problem != null) {
            note("unicode", "is " + kind + " that holds " + problem);
        }
    }

    @Override
    public void writeBinary(Base64Variant variant, byte[] data, int offset, int length) throws IOException {
        super.writeBinary(variant, data, offset, length);
        long characters = (length + 2L) / 3 * 4;
        if (characters > limits.maxStringLength()) {
            note("maxStringLength", "is binary data written as " + characters + " characters of Base64, more than "
                    + "the limit of " + limits.maxStringLength());
        }
    }

    @Override
    public int writeBinary(Base64Variant variant, InputStream data, int length) throws IOException {
        byte[] bytes = data.readAllBytes();
        writeBinary(variant, bytes, 0, bytes.length);
        return bytes.length;
    }

    // Numbers --------------------------------------------------------------------------------------------------------

    @Override
    public void writeNumber(double value) throws IOException {
        super.writeNumber(value);
        checkFloatingPoint(value, Double.toString(value));
    }

    @Override
    public void writeNumber(float value) throws IOException {
        super.writeNumber(value);
        checkFloatingPoint(value, Float.toString(value));
    }

    @Override
    public void writeArray(double[] array, int offset, int length) throws IOException {
        writeStartArray(array, length);
        for (int i = offset; i < offset + length; i++) {
            writeNumber(array[i]);
        }
        writeEndArray();
    }

    private void checkFloatingPoint(double value, String written) {
        if (!Double.isFinite(value)) {
            return; // Written as the string "NaN" or "Infinity", which reads back as the same value.
        }
        if (value == 0 && Double.doubleToRawLongBits(value) != 0) {
            note("number", "is -0.0, which PostgreSQL's jsonb keeps as 0; write 0.0");
            return;
        }
        checkLength(new BigDecimal(written));
    }

    @Override
    public void writeNumber(BigDecimal value) throws IOException {
        super.writeNumber(value);
        checkDecimal(value);
    }

    @Override
    public void writeNumber(BigInteger value) throws IOException {
        super.writeNumber(value);
        checkLength(new BigDecimal(value));
    }

    @Override
    public void writeNumber(String encoded) throws IOException {
        super.writeNumber(encoded);
        checkEncodedNumber(encoded);
    }

    @Override
    public void writeNumber(char[] encoded, int offset, int length) throws IOException {
        super.writeNumber(encoded, offset, length);
        checkEncodedNumber(new String(encoded, offset, length));
    }

    private void checkEncodedNumber(String encoded) {
        BigDecimal value;
        try {
            value = new BigDecimal(encoded);
        } catch (NumberFormatException e) {
            note("number", "is written as the number '" + WellFormedText.printable(encoded)
                    + "', which is not a JSON number");
            return;
        }
        checkDecimal(value);
    }

    private void checkDecimal(BigDecimal value) {
        if (value.scale() < 0) {
            note("number", "is " + value + ", a decimal with a negative scale: PostgreSQL keeps it written out in "
                    + "full and it reads back with scale 0, which BigDecimal.equals tells apart; store "
                    + "value.setScale(0)");
            return;
        }
        checkLength(value);
    }

    private void checkLength(BigDecimal value) {
        long length = Numbers.writtenLength(value);
        if (length > limits.maxNumberLength()) {
            note("maxNumberLength", "is a number of " + length + " characters written out in full, more than the "
                    + "limit of " + limits.maxNumberLength());
        }
    }

    // What cannot be checked -----------------------------------------------------------------------------------------

    @Override
    public void writeRaw(String text) {
        refuseRaw();
    }

    @Override
    public void writeRaw(String text, int offset, int length) {
        refuseRaw();
    }

    @Override
    public void writeRaw(SerializableString text) {
        refuseRaw();
    }

    @Override
    public void writeRaw(char[] text, int offset, int length) {
        refuseRaw();
    }

    @Override
    public void writeRaw(char c) {
        refuseRaw();
    }

    @Override
    public void writeRawValue(String text) {
        refuseRaw();
    }

    @Override
    public void writeRawValue(String text, int offset, int length) {
        refuseRaw();
    }

    @Override
    public void writeRawValue(char[] text, int offset, int length) {
        refuseRaw();
    }

    @Override
    public void writeEmbeddedObject(@Nullable Object object) {
        note("json", "is an embedded object, which JSON text cannot carry");
    }

    private void refuseRaw() {
        note("json", "is raw JSON (@JsonRawValue or similar), which cannot be checked; map it to values instead");
    }

    private void note(String rule, String message) {
        if (violations.size() < MOST_FINDINGS) {
            violations.add(new Violation(JsonPaths.of(root, getOutputContext()), rule, message));
        }
    }
}
