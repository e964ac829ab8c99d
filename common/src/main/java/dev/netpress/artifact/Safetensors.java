package dev.netpress.artifact;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netpress.artifact.SafetensorsException.Kind;
import dev.netpress.tensor.DType;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of
 * UTF-8 JSON header, then the data region. The header maps each tensor name to
 * {@code {"dtype", "shape", "data_offsets": [begin, end)}}, offsets relative to the data region,
 * plus an optional {@code "__metadata__"} object of strings.
 *
 * <p>Reading validates the whole header, including that the tensors tile the data region with no
 * gap or overlap, and reports any violation as a {@link SafetensorsException} with its
 * {@link Kind}. Tensors read are zero-copy slices of the input.
 *
 * <p>Writing is deterministic: the same tensors and metadata give byte-identical files. Tensors
 * are laid out by element size, largest first, then by name, so every tensor starts at a
 * multiple of its element size (the data region itself starts 8-byte aligned). Metadata is
 * written sorted by key.
 */
public final class Safetensors {
    /** The largest header accepted, the limit the reference implementation uses. */
    public static final int MAX_HEADER_BYTES = 100_000_000;

    private static final String METADATA_KEY = "__metadata__";

    // Jackson's default string and name limits are far below what a legal header may hold.
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_HEADER_BYTES)
                    .maxNameLength(MAX_HEADER_BYTES)
                    .build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private Safetensors() {}

    /**
     * Writes tensors and metadata to a stream, streaming each tensor's bytes from its buffer so
     * the file is never assembled in memory. The stream is flushed, not closed. Arguments are
     * checked before anything is written.
     *
     * @param metadata may be null or empty; then no {@code __metadata__} entry is written
     * @throws IllegalArgumentException for an empty or reserved tensor name, a null tensor, null
     *     metadata keys or values, or names that are not well-formed Unicode
     */
    public static void write(Map<String, Tensor> tensors, Map<String, String> metadata, OutputStream out)
            throws IOException {
        Plan plan = plan(tensors, metadata);
        plan.writeTo(Channels.newChannel(out));
        out.flush();
    }

    /**
     * Writes tensors and metadata to a file, replacing it; see {@link #write(Map, Map, OutputStream)}.
     * Bad arguments leave an existing file untouched.
     */
    public static void write(Map<String, Tensor> tensors, Map<String, String> metadata, Path file)
            throws IOException {
        Plan plan = plan(tensors, metadata);
        try (FileChannel channel = FileChannel.open(file, CREATE, TRUNCATE_EXISTING, WRITE)) {
            plan.writeTo(channel);
        }
    }

    /**
     * Reads a file by memory-mapping it; the tensors are slices of the mapping.
     *
     * @throws SafetensorsException if the file breaks the format or is over 2 GiB
     */
    public static SafetensorsFile read(Path file) throws IOException {
        MappedByteBuffer mapping;
        try (FileChannel channel = FileChannel.open(file, READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new SafetensorsException(Kind.FILE_TOO_LARGE,
                        file + ": " + size + " bytes; files over 2 GiB cannot be mapped into one buffer");
            }
            mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size); // outlives the channel
        }
        try {
            return read(mapping);
        } catch (SafetensorsException e) {
            throw new SafetensorsException(e.kind(), file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a whole file held in memory, from the buffer's position to its limit; the buffer's
     * position is not moved. The tensors share its bytes, so it must not be modified afterwards.
     */
    public static SafetensorsFile read(ByteBuffer whole) throws SafetensorsException {
        ByteBuffer file = whole.slice().order(LITTLE_ENDIAN);
        if (file.capacity() < 8) {
            throw new SafetensorsException(Kind.TOO_SHORT,
                    "file has " + file.capacity() + " bytes, fewer than the 8-byte header length");
        }
        long headerLength = file.getLong(0);
        // compareUnsigned: the length is a u64, and values above 2^63 read as negative longs
        if (Long.compareUnsigned(headerLength, MAX_HEADER_BYTES) > 0) {
            throw new SafetensorsException(Kind.HEADER_TOO_LARGE, "header length "
                    + Long.toUnsignedString(headerLength) + " exceeds the limit of " + MAX_HEADER_BYTES);
        }
        int headerEnd = 8 + (int) headerLength;
        if (headerEnd > file.capacity()) {
            throw new SafetensorsException(Kind.HEADER_OUT_OF_BOUNDS, "header length " + headerLength
                    + " reaches past the end of a " + file.capacity() + "-byte file");
        }
        String json = decodeUtf8(file.slice(8, headerEnd - 8));
        ByteBuffer data = file.slice(headerEnd, file.capacity() - headerEnd);

        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        for (Member member : parseMembers(json)) {
            if (!names.add(member.name())) {
                throw new SafetensorsException(Kind.DUPLICATE_NAME, "name '" + member.name() + "' appears twice");
            }
            if (member.name().equals(METADATA_KEY)) {
                metadata = parseMetadata(member.value());
            } else {
                entries.add(parseEntry(member.name(), member.value(), data.capacity()));
            }
        }
        checkTiling(entries, data.capacity());

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            ByteBuffer bytes = data.slice((int) e.begin(), (int) (e.end() - e.begin()));
            tensors.put(e.name(), Tensor.of(e.dtype(), e.shape(), bytes));
        }
        return new SafetensorsFile(tensors, metadata);
    }

    // ---- writing

    /** A checked file ready to write: the tensors in data order and the finished header. */
    private record Plan(List<Map.Entry<String, Tensor>> layout, byte[] header) {
        void writeTo(WritableByteChannel out) throws IOException {
            writeFully(out, ByteBuffer.allocate(8).order(LITTLE_ENDIAN).putLong(0, header.length));
            writeFully(out, ByteBuffer.wrap(header));
            for (Map.Entry<String, Tensor> e : layout) {
                writeFully(out, e.getValue().bytes());
            }
        }
    }

    private static Plan plan(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Map.Entry<String, Tensor>> layout = layout(tensors);
        return new Plan(layout, header(layout, metadata == null ? Map.of() : metadata));
    }

    /** The tensors in data-region order: element size descending, then name. */
    private static List<Map.Entry<String, Tensor>> layout(Map<String, Tensor> tensors) {
        List<Map.Entry<String, Tensor>> layout = new ArrayList<>(tensors.entrySet());
        for (Map.Entry<String, Tensor> e : layout) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("invalid tensor name: " + (name == null ? "null" : "'" + name + "'"));
            }
            requireWellFormed(name);
            if (e.getValue() == null) {
                throw new IllegalArgumentException("tensor '" + name + "' is null");
            }
        }
        layout.sort(Comparator.comparingInt((Map.Entry<String, Tensor> e) -> -e.getValue().dtype().bytes())
                .thenComparing(Map.Entry::getKey));
        return layout;
    }

    /** The UTF-8 JSON header, space-padded so the data region after it starts 8-byte aligned. */
    private static byte[] header(List<Map.Entry<String, Tensor>> layout, Map<String, String> metadata)
            throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(METADATA_KEY);
                for (Map.Entry<String, String> e : sortedMetadata(metadata).entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> e : layout) {
                Tensor t = e.getValue();
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("dtype", t.dtype().wireName());
                g.writeArrayFieldStart("shape");
                for (int d : t.shape().toArray()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                offset += t.byteSize();
                g.writeNumber(offset);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        while (buf.size() % 8 != 0) {
            buf.write(' ');
        }
        if (buf.size() > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header of " + buf.size() + " bytes exceeds the limit of "
                    + MAX_HEADER_BYTES + " that readers enforce");
        }
        return buf.toByteArray();
    }

    private static TreeMap<String, String> sortedMetadata(Map<String, String> metadata) {
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("metadata keys and values must not be null: " + e);
            }
            requireWellFormed(e.getKey());
            requireWellFormed(e.getValue());
            sorted.put(e.getKey(), e.getValue());
        }
        return sorted;
    }

    /** Rejects unpaired surrogates, which have no UTF-8 encoding. */
    private static void requireWellFormed(String s) {
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(s)) {
            throw new IllegalArgumentException("not well-formed Unicode: '" + s + "'");
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    // ---- reading

    private record Member(String name, JsonNode value) {}

    private record Entry(String name, DType dtype, Dims shape, long begin, long end) {}

    private static String decodeUtf8(ByteBuffer bytes) throws SafetensorsException {
        try {
            // a fresh decoder reports malformed input rather than replacing it
            return StandardCharsets.UTF_8.newDecoder().decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsException(Kind.INVALID_UTF8, "header is not valid UTF-8", e);
        }
    }

    /** The header's top-level members in order, duplicates kept so they can be reported. */
    private static List<Member> parseMembers(String json) throws SafetensorsException {
        List<Member> members = new ArrayList<>();
        boolean isObject;
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken first = p.nextToken();
            isObject = first == JsonToken.START_OBJECT;
            if (isObject) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    members.add(new Member(name, p.readValueAsTree()));
                }
            } else if (first == null) {
                throw new JsonParseException(p, "header holds no JSON value");
            } else {
                p.readValueAsTree(); // a malformed non-object is reported as malformed
            }
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "content after the header's JSON value");
            }
        } catch (IOException e) {
            // parsing a String does no I/O: every exception here is a JSON syntax error
            throw new SafetensorsException(Kind.INVALID_JSON, "header is not valid JSON: " + e.getMessage(), e);
        }
        if (!isObject) {
            throw new SafetensorsException(Kind.HEADER_NOT_OBJECT, "header is not a JSON object");
        }
        return members;
    }

    private static Map<String, String> parseMetadata(JsonNode node) throws SafetensorsException {
        if (!node.isObject()) {
            throw new SafetensorsException(Kind.INVALID_METADATA, METADATA_KEY + " is not an object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new SafetensorsException(Kind.INVALID_METADATA,
                        METADATA_KEY + " value of '" + e.getKey() + "' is not a string");
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        return metadata;
    }

    private static Entry parseEntry(String name, JsonNode node, long dataLength) throws SafetensorsException {
        if (!node.isObject()) {
            throw bad(Kind.WRONG_TYPE, name, "entry is not an object");
        }
        JsonNode dtypeNode = field(name, node, "dtype");
        JsonNode shapeNode = field(name, node, "shape");
        JsonNode offsetsNode = field(name, node, "data_offsets");

        if (!dtypeNode.isTextual()) {
            throw bad(Kind.WRONG_TYPE, name, "dtype is not a string");
        }
        DType dtype = DType.fromWireName(dtypeNode.textValue())
                .orElseThrow(() -> bad(Kind.UNKNOWN_DTYPE, name, "unknown dtype '" + dtypeNode.textValue() + "'"));

        if (!shapeNode.isArray()) {
            throw bad(Kind.WRONG_TYPE, name, "shape is not an array");
        }
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0) {
                throw bad(Kind.INVALID_SHAPE, name, "shape " + shapeNode + " has a dimension that is not a"
                        + " non-negative 32-bit integer");
            }
            shape[i] = d.intValue();
        }

        if (!offsetsNode.isArray()) {
            throw bad(Kind.WRONG_TYPE, name, "data_offsets is not an array");
        }
        if (offsetsNode.size() != 2 || !isOffset(offsetsNode.get(0)) || !isOffset(offsetsNode.get(1))
                || offsetsNode.get(0).longValue() > offsetsNode.get(1).longValue()) {
            throw bad(Kind.INVALID_OFFSETS, name, "data_offsets " + offsetsNode
                    + " is not two ascending non-negative integers");
        }
        long begin = offsetsNode.get(0).longValue();
        long end = offsetsNode.get(1).longValue();
        if (end > dataLength) {
            throw bad(Kind.OFFSETS_OUT_OF_RANGE, name, "data_offsets " + offsetsNode
                    + " reach past the " + dataLength + "-byte data region");
        }
        if (!sizeMatches(dtype, shape, end - begin)) {
            throw bad(Kind.SIZE_MISMATCH, name, dtype + Arrays.toString(shape) + " does not fill the "
                    + (end - begin) + " bytes of data_offsets " + offsetsNode);
        }
        return new Entry(name, dtype, Dims.of(shape), begin, end);
    }

    private static JsonNode field(String name, JsonNode entry, String field) throws SafetensorsException {
        JsonNode value = entry.get(field);
        if (value == null) {
            throw bad(Kind.MISSING_FIELD, name, "entry has no " + field);
        }
        return value;
    }

    private static boolean isOffset(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0;
    }

    /** Whether dtype × shape is exactly {@code bytes}, which is below 2^31 (a buffer's size). */
    private static boolean sizeMatches(DType dtype, int[] shape, long bytes) {
        // a zero dimension empties the tensor however large the others are
        if (Arrays.stream(shape).anyMatch(d -> d == 0)) {
            return bytes == 0;
        }
        long size = dtype.bytes();
        for (int d : shape) {
            size *= d; // cannot overflow: size ≤ bytes < 2^31 before, d < 2^31
            if (size > bytes) {
                return false;
            }
        }
        return size == bytes;
    }

    /** Checks that the tensors cover the data region exactly: no overlap, gap or trailing bytes. */
    private static void checkTiling(List<Entry> entries, long dataLength) throws SafetensorsException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        String previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < covered) {
                throw bad(Kind.OVERLAP, e.name(), "bytes [" + e.begin() + ", " + e.end()
                        + ") overlap tensor '" + previous + "'");
            }
            if (e.begin() > covered) {
                throw new SafetensorsException(Kind.UNCOVERED_BYTES, "data bytes [" + covered + ", " + e.begin()
                        + ") before tensor '" + e.name() + "' belong to no tensor");
            }
            covered = e.end();
            previous = e.name();
        }
        if (covered != dataLength) {
            throw new SafetensorsException(Kind.UNCOVERED_BYTES, "data bytes [" + covered + ", " + dataLength
                    + ") at the end belong to no tensor");
        }
    }

    private static SafetensorsException bad(Kind kind, String name, String what) {
        return new SafetensorsException(kind, "tensor '" + name + "': " + what);
    }
}
