package dev.netpress.artifact;

import static dev.netpress.artifact.SafetensorsTest.specFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netpress.artifact.SafetensorsException.Kind;
import dev.netpress.tensor.Tensor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsCorruptionTest {
    private static SafetensorsException assertKind(Kind kind, byte[] file) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(ByteBuffer.wrap(file)));
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    /** A header holding one entry "w" with the given body, over {@code dataBytes} zero bytes. */
    private static byte[] oneEntry(String body, int dataBytes) {
        return specFile("{\"w\":{" + body + "}}", new byte[dataBytes]);
    }

    private static byte[] withLength(long headerLength, int totalBytes) {
        return ByteBuffer.allocate(totalBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array();
    }

    @Test
    void tooShort() {
        assertKind(Kind.TOO_SHORT, new byte[0]);
        assertKind(Kind.TOO_SHORT, new byte[7]);
    }

    @Test
    void headerTooLarge() {
        assertKind(Kind.HEADER_TOO_LARGE, withLength(Safetensors.MAX_HEADER_BYTES + 1L, 16));
        assertKind(Kind.HEADER_TOO_LARGE, withLength(-1L, 16)); // u64 max
    }

    @Test
    void headerOutOfBounds() {
        assertKind(Kind.HEADER_OUT_OF_BOUNDS, withLength(100, 50));
        assertKind(Kind.HEADER_OUT_OF_BOUNDS, withLength(1, 8));
    }

    @Test
    void fileTooLarge(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("huge.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(1L << 31); // sparse: costs no disk
        }
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(file));
        assertEquals(Kind.FILE_TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void errorsFromAFileNameIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[3]);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(file));
        assertEquals(Kind.TOO_SHORT, e.kind());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void invalidUtf8() {
        byte[] header = "{\"w?\":{}}".getBytes(StandardCharsets.US_ASCII);
        header[3] = (byte) 0xFF;
        assertKind(Kind.INVALID_UTF8, specFile(header, new byte[0]));
        header[3] = (byte) 0xC0; // start of an overlong encoding
        assertKind(Kind.INVALID_UTF8, specFile(header, new byte[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"w\":", "{'w':{}}", "{} x", "{}{}", "{\"a\":1,}", "", "   ",
        // duplicate keys inside an entry or the metadata
        "{\"w\":{\"dtype\":\"I8\",\"dtype\":\"I8\",\"shape\":[],\"data_offsets\":[0,0]}}",
        "{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}",
    })
    void invalidJson(String header) {
        assertKind(Kind.INVALID_JSON, specFile(header, new byte[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "42", "\"w\"", "null"})
    void headerNotObject(String header) {
        assertKind(Kind.HEADER_NOT_OBJECT, specFile(header, new byte[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"shape\":[1],\"data_offsets\":[0,4]",
        "\"dtype\":\"F32\",\"data_offsets\":[0,4]",
        "\"dtype\":\"F32\",\"shape\":[1]",
    })
    void missingField(String body) {
        SafetensorsException e = assertKind(Kind.MISSING_FIELD, oneEntry(body, 4));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]",
        "\"dtype\":null,\"shape\":[1],\"data_offsets\":[0,4]",
        "\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]",
        "\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]",
        "\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":{\"0\":4}",
    })
    void wrongType(String body) {
        assertKind(Kind.WRONG_TYPE, oneEntry(body, 4));
    }

    @Test
    void entryNotAnObject() {
        assertKind(Kind.WRONG_TYPE, specFile("{\"w\":[\"F32\",[1],[0,4]]}", new byte[4]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"F8_E4M3", "f32", "FLOAT", ""})
    void unknownDtype(String dtype) {
        SafetensorsException e = assertKind(Kind.UNKNOWN_DTYPE,
                oneEntry("\"dtype\":\"" + dtype + "\",\"shape\":[1],\"data_offsets\":[0,4]", 4));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[-1]", "[1.5]", "[1.0]", "[1e0]", "[\"1\"]", "[null]", "[[1]]", "[2147483648]",
        "[99999999999999999999999]"})
    void invalidShape(String shape) {
        assertKind(Kind.INVALID_SHAPE, oneEntry("\"dtype\":\"I8\",\"shape\":" + shape + ",\"data_offsets\":[0,1]", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[4,0]", "[0]", "[]", "[0,2,4]", "[-4,0]", "[0,4.0]", "[\"0\",4]", "[0,null]",
        "[0,18446744073709551616]"})
    void invalidOffsets(String offsets) {
        assertKind(Kind.INVALID_OFFSETS, oneEntry("\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":" + offsets, 4));
    }

    @Test
    void offsetsOutOfRange() {
        assertKind(Kind.OFFSETS_OUT_OF_RANGE, oneEntry("\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]", 8));
        assertKind(Kind.OFFSETS_OUT_OF_RANGE,
                oneEntry("\"dtype\":\"I8\",\"shape\":[0],\"data_offsets\":[9223372036854775807,9223372036854775807]", 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]",
        "\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[0,4]",
        "\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,8]",
        "\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]",
    })
    void sizeMismatch(String body) {
        SafetensorsException e = assertKind(Kind.SIZE_MISMATCH, oneEntry(body, 8));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    }

    @Test
    void overlap() {
        assertKind(Kind.OVERLAP, specFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]));
        assertKind(Kind.OVERLAP, specFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]));
        // an empty tensor inside another one, as the reference implementation rejects too
        assertKind(Kind.OVERLAP, specFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}", new byte[8]));
    }

    @Test
    void uncoveredBytes() {
        assertKind(Kind.UNCOVERED_BYTES, specFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]));
        assertKind(Kind.UNCOVERED_BYTES, oneEntry("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]", 8));
        assertKind(Kind.UNCOVERED_BYTES, oneEntry("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]", 8));
        assertKind(Kind.UNCOVERED_BYTES, specFile("{}", new byte[1]));
    }

    @Test
    void duplicateName() {
        String entry = "{\"dtype\":\"I8\",\"shape\":[0],\"data_offsets\":[0,0]}";
        SafetensorsException e = assertKind(Kind.DUPLICATE_NAME,
                specFile("{\"w\":" + entry + ",\"w\":" + entry + "}", new byte[0]));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        assertKind(Kind.DUPLICATE_NAME, specFile("{\"__metadata__\":{},\"__metadata__\":{}}", new byte[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"k\":1}", "{\"k\":null}", "{\"k\":{\"x\":\"y\"}}", "{\"k\":[\"v\"]}", "[\"k\"]", "\"k\""})
    void invalidMetadata(String metadata) {
        assertKind(Kind.INVALID_METADATA, specFile("{\"__metadata__\":" + metadata + "}", new byte[0]));
    }

    @Test
    void randomCorruptionOnlyEverRaisesSafetensorsException() throws IOException {
        long seed = 0x5AFE7E45L;
        byte[] valid = SafetensorsTest.write(SafetensorsTest.sampleTensors(), Map.of("format", "pt", "k", "v"));
        int headerEnd = 8 + (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte[] jsonBytes = "{}[],:\"0123456789-.e \\".getBytes(StandardCharsets.US_ASCII);
        Random random = new Random(seed);
        int accepted = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] file = valid.clone();
            switch (random.nextInt(5)) {
                case 0 -> { // flip bits, mostly in the header where they matter
                    for (int k = 1 + random.nextInt(4); k > 0; k--) {
                        int at = random.nextInt(5) > 0 ? random.nextInt(headerEnd) : random.nextInt(file.length);
                        file[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> file = Arrays.copyOf(file, random.nextInt(file.length));
                case 2 -> ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(0, random.nextBoolean() ? headerEnd - 8 + random.nextInt(33) - 16 : random.nextLong());
                case 3 -> file[8 + random.nextInt(headerEnd - 8)] = jsonBytes[random.nextInt(jsonBytes.length)];
                default -> { // delete one header byte, shifting the rest, with the length still claiming the old size
                    int at = 8 + random.nextInt(headerEnd - 8);
                    byte[] shorter = new byte[file.length - 1];
                    System.arraycopy(file, 0, shorter, 0, at);
                    System.arraycopy(file, at + 1, shorter, at, file.length - at - 1);
                    file = shorter;
                }
            }
            try {
                for (Tensor t : Safetensors.read(ByteBuffer.wrap(file)).tensors().values()) {
                    t.toFloats();
                }
                accepted++;
            } catch (SafetensorsException expected) {
                // the only acceptable failure
            } catch (Throwable t) {
                fail("seed " + seed + ", iteration " + i + ": " + t, t);
            }
        }
        // guards against a mutator so weak that nothing is exercised, or so strong that nothing parses
        assertTrue(accepted > 0 && accepted < 2000, "accepted " + accepted);
    }
}
