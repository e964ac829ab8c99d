package dev.netpress.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 as the stores and events write it: 64 lower-case hex digits. */
public final class Sha256 {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {
    }

    /** Whether {@code s} is 64 lower-case hex digits. */
    public static boolean isHex(String s) {
        return s != null && HEX.matcher(s).matches();
    }

    static String requireHex(String sha256) {
        if (!isHex(sha256)) {
            throw new IllegalArgumentException("a SHA-256 is 64 lower-case hex digits, not: " + sha256);
        }
        return sha256;
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform has SHA-256", e);
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 of a file's bytes. */
    public static String of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return copy(in, OutputStream.nullOutputStream()).sha256();
        }
    }

    /** What {@link #copy} moved: the count and the digest of the bytes. */
    record Copied(long bytes, String sha256) {
    }

    /** Copies {@code in} to {@code out}, hashing on the way, so the bytes are read once. */
    static Copied copy(InputStream in, OutputStream out) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
            total += n;
        }
        return new Copied(total, hex(digest));
    }
}
