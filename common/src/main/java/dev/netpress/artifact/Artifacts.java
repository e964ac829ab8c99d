package dev.netpress.artifact;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.netpress.artifact.ArtifactException.Kind;
import dev.netpress.graph.Graph;
import dev.netpress.graph.GraphException;
import dev.netpress.graph.GraphJson;
import dev.netpress.tensor.Tensor;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Saves and loads artifacts, the pipeline's one file format: a safetensors file holding the
 * graph's tensors, whose {@code __metadata__} holds
 * <ul>
 *   <li>{@code format}: {@value #FORMAT}
 *   <li>{@code graph}: the graph as {@link GraphJson}
 *   <li>{@code card}: the {@link ModelCard} as JSON
 *   <li>{@code content_sha256}: SHA-256 (lowercase hex) of the content, checked on every load.
 * </ul>
 *
 * <p>The content digest is taken over a stream in which every field is an 8-byte big-endian
 * length followed by that many bytes, so no two different contents give the same stream:
 * the format string, the graph JSON, the card JSON (all UTF-8), the tensor count as a bare
 * 8-byte big-endian number, then for each tensor, in the unsigned order of the UTF-8 bytes of
 * their names: the name, the dtype's wire name, the shape (each dimension 8-byte big-endian) and
 * the raw little-endian data. The order depends on the names alone, so the digest can be checked
 * before the graph is interpreted: damage reads as damage, not as a broken graph.
 *
 * <p>Separately, {@link #save} returns the SHA-256 of the whole file, computed while writing,
 * and {@link #load(Path, String)} checks it before parsing anything. Both stream: no file is
 * ever held whole in memory, and loaded tensors are slices of a memory mapping.
 */
public final class Artifacts {
    /** The format this build writes and reads. */
    public static final String FORMAT = "netpress.artifact/1";

    private static final String FORMAT_FAMILY = "netpress.artifact/";
    private static final String KEY_FORMAT = "format";
    private static final String KEY_GRAPH = "graph";
    private static final String KEY_CARD = "card";
    private static final String KEY_CONTENT = "content_sha256";
    private static final int IO_CHUNK = 1 << 20;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final HexFormat HEX = HexFormat.of();

    private Artifacts() {}

    /**
     * Writes an artifact to {@code file}, replacing any file there. The bytes go to a temporary
     * file in the same directory, are forced to disk, and the temporary file is then renamed
     * atomically, so the final name never holds half a file, even after a crash.
     *
     * @return the file's path, the SHA-256 of its bytes (computed while writing) and its size
     */
    public static ArtifactRef save(Artifact artifact, Path file) throws IOException {
        String graphJson = GraphJson.write(artifact.graph());
        String cardJson = artifact.card().toJson();
        Map<String, Tensor> tensors = artifact.graph().tensors();
        Map<String, String> metadata = Map.of(KEY_FORMAT, FORMAT, KEY_GRAPH, graphJson, KEY_CARD, cardJson,
                KEY_CONTENT, contentSha256(graphJson, cardJson, tensors));

        // a hidden name of our own rather than Files.createTempFile, which would give the final file mode 0600
        Path tmp = file.toAbsolutePath().resolveSibling("." + file.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        MessageDigest sha = sha256();
        long bytes;
        try {
            try (FileChannel channel = FileChannel.open(tmp, CREATE_NEW, WRITE);
                    OutputStream out = new DigestOutputStream(
                            new BufferedOutputStream(Channels.newOutputStream(channel), IO_CHUNK), sha)) {
                Safetensors.write(tensors, metadata, out); // flushes
                channel.force(true); // the data must be durable before the rename can be
                bytes = channel.size();
            }
            Files.move(tmp, file, ATOMIC_MOVE);
        } catch (Throwable e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new ArtifactRef(file, HEX.formatHex(sha.digest()), bytes);
    }

    /**
     * Loads an artifact, checking its embedded content digest. The whole file's SHA-256 is
     * computed too and returned in the reference.
     *
     * @throws ArtifactException if the file is missing, damaged, not an artifact, or invalid
     */
    public static LoadedArtifact load(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * Loads an artifact after checking that the whole file has the expected SHA-256, then checks
     * its embedded content digest as {@link #load(Path)} does.
     *
     * @param expectedSha256 64 hex digits, any case
     * @throws ArtifactException of kind {@link Kind#CHECKSUM_MISMATCH} if the file is not the one
     *     expected, or as {@link #load(Path)}
     */
    public static LoadedArtifact load(Path file, String expectedSha256) throws IOException {
        if (expectedSha256 == null || !SHA256_HEX.matcher(expectedSha256).matches()) {
            throw new IllegalArgumentException("expected SHA-256 must be 64 hex digits, got " + expectedSha256);
        }
        return read(file, expectedSha256.toLowerCase(Locale.ROOT));
    }

    private static LoadedArtifact read(Path file, String expectedSha256) throws IOException {
        ArtifactRef ref;
        SafetensorsFile contents;
        try (FileChannel channel = open(file)) {
            // hash and map through one channel, so both see the same file even if the path is replaced meanwhile
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw corrupt(file, new SafetensorsException(SafetensorsException.Kind.FILE_TOO_LARGE,
                        size + " bytes; files over 2 GiB cannot be mapped into one buffer"));
            }
            ref = new ArtifactRef(file, fileSha256(channel, size, file), size);
            if (expectedSha256 != null && !expectedSha256.equals(ref.sha256())) {
                throw new ArtifactException(Kind.CHECKSUM_MISMATCH, file, "file SHA-256 is " + ref.sha256()
                        + " but " + expectedSha256 + " was expected: this is not the file that was referenced");
            }
            try {
                contents = Safetensors.read(channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
            } catch (SafetensorsException e) {
                throw corrupt(file, e);
            }
        }
        Map<String, String> metadata = contents.metadata();
        String format = metadata.get(KEY_FORMAT);
        if (format == null) {
            throw new ArtifactException(Kind.NOT_AN_ARTIFACT, file, "a safetensors file but not a netpress artifact:"
                    + " its metadata has no '" + KEY_FORMAT + "' entry");
        }
        if (!format.equals(FORMAT)) {
            if (format.startsWith(FORMAT_FAMILY)) {
                throw new ArtifactException(Kind.UNSUPPORTED_FORMAT, file, "artifact format '" + format
                        + "' is not supported; this build reads " + FORMAT);
            }
            throw new ArtifactException(Kind.NOT_AN_ARTIFACT, file, "a safetensors file of format '" + format
                    + "', not a netpress artifact (" + FORMAT + ")");
        }
        String graphJson = required(metadata, KEY_GRAPH, file);
        String cardJson = required(metadata, KEY_CARD, file);
        String embedded = required(metadata, KEY_CONTENT, file);
        String actual = contentSha256(graphJson, cardJson, contents.tensors());
        if (!actual.equals(embedded)) {
            throw new ArtifactException(Kind.CHECKSUM_MISMATCH, file, "content was altered after it was written:"
                    + " its embedded digest is " + embedded + " but its graph, card and tensors hash to " + actual);
        }
        Graph graph;
        try {
            graph = GraphJson.read(graphJson, contents.tensors());
        } catch (GraphException e) {
            throw new ArtifactException(Kind.INVALID_GRAPH, file,
                    "the graph is malformed or does not fit its weights: " + e.getMessage(), e);
        }
        ModelCard card;
        try {
            card = ModelCard.fromJson(cardJson);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException(Kind.INVALID_CARD, file, e.getMessage(), e); // the card's messages name the card
        }
        return new LoadedArtifact(new Artifact(graph, card), ref);
    }

    /** The content digest described in the class comment. */
    static String contentSha256(String graphJson, String cardJson, Map<String, Tensor> tensors) {
        MessageDigest sha = sha256();
        field(sha, FORMAT.getBytes(UTF_8));
        field(sha, graphJson.getBytes(UTF_8));
        field(sha, cardJson.getBytes(UTF_8));
        sha.update(u64(tensors.size()));
        List<Map.Entry<byte[], Tensor>> byName = new ArrayList<>();
        tensors.forEach((name, t) -> byName.add(Map.entry(name.getBytes(UTF_8), t)));
        byName.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
        for (Map.Entry<byte[], Tensor> e : byName) {
            Tensor t = e.getValue();
            field(sha, e.getKey());
            field(sha, t.dtype().wireName().getBytes(UTF_8));
            ByteBuffer shape = ByteBuffer.allocate(8 * t.shape().rank());
            for (long d : t.shape().toLongArray()) {
                shape.putLong(d);
            }
            field(sha, shape.array());
            sha.update(u64(t.byteSize()));
            sha.update(t.bytes());
        }
        return HEX.formatHex(sha.digest());
    }

    private static FileChannel open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new ArtifactException(Kind.NOT_FOUND, file, "is a directory, not an artifact file");
        }
        try {
            return FileChannel.open(file, READ);
        } catch (NoSuchFileException e) {
            throw new ArtifactException(Kind.NOT_FOUND, file, "artifact file not found", e);
        }
    }

    /** Streams the file through the digest in chunks; mapping it would make every page resident. */
    private static String fileSha256(FileChannel channel, long size, Path file) throws IOException {
        MessageDigest sha = sha256();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(IO_CHUNK, size));
        long position = 0;
        while (position < size) {
            buf.clear();
            int n = channel.read(buf, position);
            if (n < 0) {
                throw new EOFException(file + ": file ended at byte " + position + " of " + size + " while being read");
            }
            sha.update(buf.array(), 0, n);
            position += n;
        }
        return HEX.formatHex(sha.digest());
    }

    private static ArtifactException corrupt(Path file, SafetensorsException e) {
        return new ArtifactException(Kind.CORRUPT, file,
                "damaged or truncated, not a valid safetensors file (" + e.kind() + "): " + e.getMessage(), e);
    }

    private static String required(Map<String, String> metadata, String key, Path file) throws ArtifactException {
        String value = metadata.get(key);
        if (value == null) {
            throw new ArtifactException(Kind.CORRUPT, file, "artifact metadata has no '" + key + "' entry");
        }
        return value;
    }

    private static void field(MessageDigest sha, byte[] bytes) {
        sha.update(u64(bytes.length));
        sha.update(bytes);
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
