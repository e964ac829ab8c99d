package dev.netpress.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where artifacts live between stages: a directory ({@link FileStore}) or an S3 bucket ({@link S3Store}).
 *
 * <p>Keys come from content ({@code artifacts/<sha256>.safetensors} under the store's root), so a job that
 * is retried after a crash writes the same object again and the event it finally publishes names one
 * object. Every read checks the SHA-256 the caller expects, and only URIs inside the store's root are
 * served: an event cannot make a stage read another bucket or {@code /etc}.
 */
public interface ArtifactStore extends AutoCloseable {
    /** The URI every object of this store starts with, e.g. {@code file:///srv/netpress/} or {@code s3://bucket/prefix/}. */
    String root();

    /**
     * Stores a local file whose SHA-256 is {@code sha256} (lower-case hex, as {@code Artifacts.save} returns it).
     * Fails with {@link StoreException.Kind#CHECKSUM_MISMATCH} and stores nothing when the bytes disagree.
     */
    StoredArtifact put(Path file, String sha256) throws IOException;

    /** Stores the bytes of {@code in}, which must hash to {@code sha256}; the stream is read to its end, not closed. */
    default StoredArtifact put(InputStream in, String sha256) throws IOException {
        Path spool = Files.createTempFile("netpress-put-", ".safetensors");
        try {
            try (OutputStream out = Files.newOutputStream(spool)) {
                in.transferTo(out);
            }
            return put(spool, sha256);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /**
     * Copies the object at {@code uri} into {@code destDir} and returns the local file, after checking that its
     * bytes hash to {@code expectedSha256}. On a mismatch nothing is left in {@code destDir}.
     *
     * @throws StoreException {@code REFUSED_URI} for a URI outside this store, {@code NOT_FOUND},
     *     {@code CHECKSUM_MISMATCH}, or {@code BACKEND}
     */
    Path get(String uri, String expectedSha256, Path destDir) throws IOException;

    /**
     * As {@link #get}, for a caller that checks the digest itself as it reads the file ({@code Artifacts.load(file,
     * sha256)} does): the store may hand the object over without reading it first. A missing object or a URI
     * outside the store fails here as in {@code get}; bytes that disagree with the digest fail in the caller's check.
     */
    default Path fetch(String uri, String expectedSha256, Path destDir) throws IOException {
        return get(uri, expectedSha256, destDir);
    }

    /**
     * As {@link #put(Path, String)}, for a file the caller hashed while writing it ({@code Artifacts.save} does)
     * and gives up: the store may move it into place instead of copying and hashing it again.
     */
    default StoredArtifact putOwned(Path file, String sha256) throws IOException {
        return put(file, sha256);
    }

    /** Whether an object exists at {@code uri}; a URI outside this store is refused, not answered with false. */
    boolean exists(String uri) throws IOException;

    @Override
    void close();

    /** The key of the object with this content, relative to the store's root. */
    static String keyOf(String sha256) {
        return "artifacts/" + Sha256.requireHex(sha256) + ".safetensors";
    }
}
