package dev.netpress.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netpress.tensor.DType;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    /** A file built by hand from the spec: u64 LE header length, header bytes, data bytes. */
    static byte[] specFile(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    static byte[] specFile(String header, byte[] data) {
        return specFile(header.getBytes(StandardCharsets.UTF_8), data);
    }

    static byte[] write(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(tensors, metadata, out);
        return out.toByteArray();
    }

    static Map<String, Tensor> sampleTensors() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("encoder.weight", Tensor.ofFloats(Dims.of(2, 3), 1f, -2f, 3.5f, 0f, -0f, Float.NaN));
        t.put("encoder.bias", Tensor.ofFloats(Dims.of(3), 0.1f, 0.2f, 0.3f).to(DType.F16));
        t.put("head.weight", Tensor.ofFloats(Dims.of(2, 2), 1e30f, -3f, 0.15625f, 7f).to(DType.BF16));
        t.put("head.q", Tensor.of(DType.I8, Dims.of(5), ByteBuffer.wrap(new byte[] {-128, -1, 0, 1, 127})));
        t.put("scale", Tensor.ofFloats(Dims.of(), 0.5f));
        t.put("empty", Tensor.ofFloats(Dims.of(0, 3)));
        return t;
    }

    private static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, t) -> {
            Tensor back = actual.get(name);
            assertEquals(t.dtype(), back.dtype(), name);
            assertEquals(t.shape(), back.shape(), name);
            assertEquals(t.bytes(), back.bytes(), name); // bit-exact, NaN payloads included
        });
    }

    @Test
    void roundTripIsBitExactWithMetadata() throws IOException {
        Map<String, Tensor> tensors = sampleTensors();
        Map<String, String> metadata = Map.of("format", "pt", "note", "café \"quoted\"\n");
        SafetensorsFile back = Safetensors.read(ByteBuffer.wrap(write(tensors, metadata)));
        assertSameTensors(tensors, back.tensors());
        assertEquals(metadata, back.metadata());
        assertEquals(0, back.tensors().get("scale").shape().rank());
        assertEquals(0, back.tensors().get("empty").byteSize());
    }

    @Test
    void everyDTypeRoundTrips() throws IOException {
        Random random = new Random(7);
        Map<String, Tensor> tensors = new HashMap<>();
        for (DType d : DType.values()) {
            byte[] raw = new byte[3 * 2 * d.bytes()];
            random.nextBytes(raw);
            tensors.put(d.name().toLowerCase(), Tensor.of(d, Dims.of(3, 2), ByteBuffer.wrap(raw)));
        }
        SafetensorsFile back = Safetensors.read(ByteBuffer.wrap(write(tensors, null)));
        assertSameTensors(tensors, back.tensors());
        assertTrue(back.metadata().isEmpty());
    }

    @Test
    void writingIsDeterministicWhateverTheMapOrder() throws IOException {
        Map<String, Tensor> forward = sampleTensors();
        List<String> names = new ArrayList<>(forward.keySet());
        Map<String, Tensor> reversed = new LinkedHashMap<>();
        for (int i = names.size() - 1; i >= 0; i--) {
            reversed.put(names.get(i), forward.get(names.get(i)));
        }
        byte[] first = write(forward, Map.of("a", "1", "b", "2"));
        assertArrayEquals(first, write(forward, Map.of("a", "1", "b", "2")));
        assertArrayEquals(first, write(reversed, new HashMap<>(Map.of("b", "2", "a", "1"))));
    }

    @Test
    void writerOutputFollowsTheSpec() throws IOException {
        byte[] file = write(sampleTensors(), Map.of("format", "pt"));
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(buf.getLong(0));
        assertEquals(0, (8 + n) % 8, "data region starts 8-byte aligned");
        String header = new String(file, 8, n, StandardCharsets.UTF_8);
        JsonNode json = new ObjectMapper().readTree(header);
        assertEquals("pt", json.get("__metadata__").get("format").textValue());

        // documented layout: element size descending, then name; contiguous from offset 0
        List<String> expectedOrder = List.of("empty", "encoder.weight", "scale", "encoder.bias", "head.weight", "head.q");
        long offset = 0;
        List<String> order = new ArrayList<>();
        for (var e : json.properties()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            order.add(e.getKey());
            DType dtype = DType.fromWireName(e.getValue().get("dtype").textValue()).orElseThrow();
            JsonNode offsets = e.getValue().get("data_offsets");
            assertEquals(offset, offsets.get(0).longValue(), e.getKey());
            assertEquals(0, offset % dtype.bytes(), "naturally aligned: " + e.getKey());
            offset = offsets.get(1).longValue();
        }
        assertEquals(expectedOrder, order);
        assertEquals(file.length - 8 - n, offset, "no trailing bytes");
    }

    @Test
    void readsAHandBuiltSpecFile() throws IOException {
        String header = "{\"b\":{\"dtype\":\"I8\",\"shape\":[3],\"data_offsets\":[8,11]},"
                + "\"__metadata__\":{\"format\":\"pt\",\"note\":\"caf\\u00e9\"},"
                + "\"a\":{\"data_offsets\":[0,8],\"shape\":[2],\"dtype\":\"F32\"},"
                + "\"z\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[11,13]},"
                + "\"s\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[13,15]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[15,15]}}   ";
        byte[] data = {
            0, 0, (byte) 0xC0, 0x3F, 0, 0, 0, (byte) 0xC0, // F32 1.5, -2.0
            1, (byte) 0xFE, 0x7F, // I8 1, -2, 127
            (byte) 0x80, 0x3F, // BF16 1.0
            0, 0x3C, // F16 1.0
        };
        SafetensorsFile f = Safetensors.read(ByteBuffer.wrap(specFile(header, data)));
        assertEquals(List.of("b", "a", "z", "s", "e"), new ArrayList<>(f.tensors().keySet()), "header order");
        assertArrayEquals(new float[] {1.5f, -2f}, f.tensors().get("a").toFloats());
        assertArrayEquals(new float[] {1f, -2f, 127f}, f.tensors().get("b").toFloats());
        assertArrayEquals(new float[] {1f}, f.tensors().get("z").toFloats());
        assertArrayEquals(new float[] {1f}, f.tensors().get("s").toFloats());
        assertEquals(Dims.of(), f.tensors().get("s").shape());
        assertEquals(Dims.of(0, 3), f.tensors().get("e").shape());
        assertEquals(Map.of("format", "pt", "note", "café"), f.metadata());
    }

    @Test
    void readsAnEmptyFile() throws IOException {
        SafetensorsFile f = Safetensors.read(ByteBuffer.wrap(specFile("{}", new byte[0])));
        assertTrue(f.tensors().isEmpty());
        assertTrue(f.metadata().isEmpty());
    }

    @Test
    void readsFromTheBuffersPositionWithoutMovingIt() throws IOException {
        byte[] file = write(sampleTensors(), Map.of());
        ByteBuffer buf = ByteBuffer.allocate(file.length + 5);
        buf.position(5);
        buf.put(file).position(5);
        assertSameTensors(sampleTensors(), Safetensors.read(buf).tensors());
        assertEquals(5, buf.position());
    }

    @Test
    void fileRoundTripMapsTensorsWithoutCopying(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(sampleTensors(), Map.of("k", "v"), file);
        assertArrayEquals(write(sampleTensors(), Map.of("k", "v")), Files.readAllBytes(file));
        SafetensorsFile back = Safetensors.read(file);
        assertSameTensors(sampleTensors(), back.tensors());
        assertTrue(back.tensors().get("encoder.weight").bytes().isDirect(), "a slice of the mapping");
    }

    @Test
    void rereadTensorsWriteBackIdentically(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.safetensors");
        Safetensors.write(sampleTensors(), Map.of("k", "v"), file);
        SafetensorsFile back = Safetensors.read(file);
        assertArrayEquals(Files.readAllBytes(file), write(back.tensors(), back.metadata()));
    }

    @Test
    void writerRejectsBadNamesBeforeWritingAnything(@TempDir Path dir) throws IOException {
        Tensor t = Tensor.ofFloats(Dims.of(1), 1f);
        Path existing = dir.resolve("existing.safetensors");
        Files.write(existing, new byte[] {42});
        for (String name : new String[] {"", "__metadata__", "half\uD800"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Map<String, Tensor> tensors = Map.of("ok", t, name, t);
            assertThrows(IllegalArgumentException.class, () -> Safetensors.write(tensors, null, out), name);
            assertEquals(0, out.size());
            assertThrows(IllegalArgumentException.class, () -> Safetensors.write(tensors, null, existing), name);
            assertArrayEquals(new byte[] {42}, Files.readAllBytes(existing));
        }
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(Map.of("ok", t), nullValue, new ByteArrayOutputStream()));
    }
}
