package dev.netpress.runtime.store;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Opens the store a command line or configuration names: {@code file:///dir} or {@code s3://bucket/prefix}. */
public final class ArtifactStores {
    private ArtifactStores() {
    }

    /** Opens a store; S3 settings come from the environment ({@link S3Store.Settings#fromEnvironment()}). */
    public static ArtifactStore open(String uri) throws IOException {
        return open(uri, S3Store.Settings.fromEnvironment());
    }

    /**
     * Opens a store; {@code s3} is used only for {@code s3://} URIs.
     *
     * @throws IllegalArgumentException for a URI that names no store this build knows
     */
    public static ArtifactStore open(String uri, S3Store.Settings s3) throws IOException {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a store URI: " + uri + " (" + e.getReason() + ")", e);
        }
        String scheme = parsed.getScheme();
        if ("file".equals(scheme)) {
            if (parsed.getRawAuthority() != null || parsed.getPath() == null || !parsed.getPath().startsWith("/")) {
                throw new IllegalArgumentException("a file store is file:///absolute/dir, not " + uri);
            }
            return new FileStore(Path.of(parsed));
        }
        if ("s3".equals(scheme)) {
            if (parsed.getRawQuery() != null || parsed.getRawFragment() != null) {
                throw new IllegalArgumentException("an S3 store is s3://bucket/prefix, not " + uri);
            }
            return new S3Store(parsed.getRawAuthority(), parsed.getPath(), s3);
        }
        throw new IllegalArgumentException("unknown store " + uri + ": use file:///dir or s3://bucket/prefix");
    }
}
