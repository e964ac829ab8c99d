package dev.netpress.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** What the two stores share: URI checks and the verified copy into a local directory. */
final class Keys {
    private Keys() {
    }

    /** Parses a URI a store was asked for, refusing one of another scheme. */
    static java.net.URI parse(String uri, String scheme, String root) throws StoreException {
        if (uri == null) {
            throw refused(null, "no URI");
        }
        java.net.URI parsed;
        try {
            parsed = new java.net.URI(uri);
        } catch (java.net.URISyntaxException e) {
            throw refused(uri, "not a URI");
        }
        if (!scheme.equals(parsed.getScheme())) {
            throw refused(uri, "this store serves " + scheme + ": URIs under " + root);
        }
        return parsed;
    }

    static StoreException refused(String uri, String why) {
        return new StoreException(StoreException.Kind.REFUSED_URI, "refused artifact URI " + uri + ": " + why);
    }

    /**
     * Refuses a decoded path with {@code .} or {@code ..} segments or empty ones (other than one leading
     * slash): such a path can name something other than what its prefix suggests.
     */
    static void requirePlainSegments(String uri, String path) throws StoreException {
        String rest = path.startsWith("/") ? path.substring(1) : path;
        for (String segment : rest.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw refused(uri, "the path has an empty, '.' or '..' segment");
            }
            if (segment.indexOf('\0') >= 0 || segment.indexOf('\\') >= 0) {
                throw refused(uri, "the path has a NUL or backslash");
            }
        }
    }

    /**
     * Copies {@code in} into {@code destDir} under the name of the object's digest, hashing on the way; the
     * file appears (atomically) only when the digest is the expected one.
     */
    static Path copyVerified(InputStream in, String uri, String expectedSha256, Path destDir) throws IOException {
        Files.createDirectories(destDir);
        Path target = destDir.resolve(expectedSha256 + ".safetensors");
        Path tmp = Files.createTempFile(destDir, ".get-", ".tmp");
        try {
            Sha256.Copied copied;
            try (var out = Files.newOutputStream(tmp)) {
                copied = Sha256.copy(in, out);
            }
            if (!copied.sha256().equals(expectedSha256)) {
                throw new StoreException(StoreException.Kind.CHECKSUM_MISMATCH, uri + ": expected SHA-256 "
                    + expectedSha256 + " but the stored bytes (" + copied.bytes() + ") hash to " + copied.sha256());
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static StoreException putMismatch(String source, String claimed, Sha256.Copied actual) {
        return new StoreException(StoreException.Kind.CHECKSUM_MISMATCH, source + ": said to have SHA-256 " + claimed
            + " but its " + actual.bytes() + " bytes hash to " + actual.sha256() + "; nothing stored");
    }
}
