package dev.netpress.runtime.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link ArtifactStore} promises; each implementation's test extends this with a live store. */
abstract class ArtifactStoreContract {
    @TempDir
    Path tmp;

    /** The store under test; the same instance for the whole test method. */
    abstract ArtifactStore store();

    /** Replaces the stored object's bytes behind the store's back, as a damaged disk or a rogue writer would. */
    abstract void overwrite(StoredArtifact stored, byte[] bytes) throws IOException;

    /** URIs that look close to the store's own but name something outside it. */
    abstract List<String> nearMisses(StoredArtifact stored);

    @Test
    void roundTrip() throws IOException {
        byte[] bytes = randomBytes(200_000, 1);
        StoredArtifact stored = put(bytes);
        assertTrue(stored.uri().startsWith(store().root()), stored.uri());
        assertEquals(bytes.length, stored.bytes());
        assertTrue(store().exists(stored.uri()));

        Path dest = tmp.resolve("dest");
        Path got = store().get(stored.uri(), stored.sha256(), dest);
        assertEquals(dest, got.getParent());
        assertArrayEquals(bytes, Files.readAllBytes(got));
    }

    @Test
    void keysComeFromContent() throws IOException {
        byte[] a = randomBytes(1000, 2);
        StoredArtifact first = put(a);
        StoredArtifact again = put(a);
        StoredArtifact other = put(randomBytes(1000, 3));
        assertEquals(first, again, "a retried put writes the same object");
        assertNotEquals(first.uri(), other.uri());
        assertTrue(first.uri().endsWith("artifacts/" + first.sha256() + ".safetensors"), first.uri());
    }

    @Test
    void putFromAStream() throws IOException {
        byte[] bytes = randomBytes(5000, 4);
        String sha = sha(bytes);
        StoredArtifact stored = store().put(new ByteArrayInputStream(bytes), sha);
        assertArrayEquals(bytes, Files.readAllBytes(store().get(stored.uri(), sha, tmp.resolve("d"))));
    }

    @Test
    void putRefusesBytesThatDoNotMatchTheirSha() throws IOException {
        byte[] bytes = randomBytes(1000, 5);
        StoredArtifact honest = put(bytes);
        String claimed = sha(randomBytes(1000, 6));
        Path file = write(bytes);
        StoreException e = assertThrows(StoreException.class, () -> store().put(file, claimed));
        assertEquals(StoreException.Kind.CHECKSUM_MISMATCH, e.kind());
        assertFalse(store().exists(honest.uri().replace(honest.sha256(), claimed)), "nothing stored under the claim");
    }

    @Test
    void getChecksTheExpectedSha() throws IOException {
        byte[] bytes = randomBytes(1000, 7);
        StoredArtifact stored = put(bytes);
        Path dest = tmp.resolve("dest");
        StoreException e = assertThrows(StoreException.class,
            () -> store().get(stored.uri(), sha(randomBytes(10, 8)), dest));
        assertEquals(StoreException.Kind.CHECKSUM_MISMATCH, e.kind());
        assertTrue(e.getMessage().contains(stored.sha256()), e.getMessage());
        assertEmpty(dest);
    }

    @Test
    void getDetectsADamagedObject() throws IOException {
        byte[] bytes = randomBytes(1000, 9);
        StoredArtifact stored = put(bytes);
        bytes[500] ^= 1;
        overwrite(stored, bytes);
        Path dest = tmp.resolve("dest");
        StoreException e = assertThrows(StoreException.class, () -> store().get(stored.uri(), stored.sha256(), dest));
        assertEquals(StoreException.Kind.CHECKSUM_MISMATCH, e.kind());
        assertEmpty(dest);
    }

    @Test
    void missingObject() throws IOException {
        StoredArtifact stored = put(randomBytes(100, 10));
        String absent = sha(randomBytes(100, 11));
        String uri = stored.uri().replace(stored.sha256(), absent);
        assertFalse(store().exists(uri));
        StoreException e = assertThrows(StoreException.class, () -> store().get(uri, absent, tmp.resolve("d")));
        assertEquals(StoreException.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void fetchAndPutOwnedCarryTheSameBytes() throws IOException {
        byte[] bytes = randomBytes(300_000, 13);
        StoredArtifact stored = store().putOwned(write(bytes), sha(bytes));
        assertEquals(new StoredArtifact(stored.uri(), sha(bytes), bytes.length), stored);
        assertEquals(stored, put(bytes), "the same object as a plain put");
        Path fetched = store().fetch(stored.uri(), stored.sha256(), tmp.resolve("f"));
        assertArrayEquals(bytes, Files.readAllBytes(fetched));
        String absent = sha(randomBytes(100, 14));
        StoreException e = assertThrows(StoreException.class,
            () -> store().fetch(stored.uri().replace(stored.sha256(), absent), absent, tmp.resolve("g")));
        assertEquals(StoreException.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void refusesUrisOutsideTheStore() throws IOException {
        StoredArtifact stored = put(randomBytes(100, 12));
        String good = stored.uri();
        String dir = good.substring(0, good.lastIndexOf('/'));
        List<String> bad = new ArrayList<>(nearMisses(stored));
        bad.addAll(List.of(
            "http://example.com/" + stored.sha256() + ".safetensors",
            "ftp:" + good.substring(good.indexOf(':') + 1),
            dir + "/../../../../etc/passwd",
            dir + "/%2e%2e/%2E%2E/secret",
            dir + "/./" + stored.sha256() + ".safetensors",
            dir + "//" + stored.sha256() + ".safetensors",
            good + "?versionId=1",
            good + "#frag",
            store().root(),
            "not a uri at all",
            "artifacts/" + stored.sha256() + ".safetensors"));
        for (String uri : bad) {
            StoreException get = assertThrows(StoreException.class,
                () -> store().get(uri, stored.sha256(), tmp.resolve("d")), uri);
            assertEquals(StoreException.Kind.REFUSED_URI, get.kind(), uri + ": " + get.getMessage());
            StoreException fetch = assertThrows(StoreException.class,
                () -> store().fetch(uri, stored.sha256(), tmp.resolve("d")), uri);
            assertEquals(StoreException.Kind.REFUSED_URI, fetch.kind(), uri + ": " + fetch.getMessage());
            StoreException exists = assertThrows(StoreException.class, () -> store().exists(uri), uri);
            assertEquals(StoreException.Kind.REFUSED_URI, exists.kind(), uri);
        }
    }

    StoredArtifact put(byte[] bytes) throws IOException {
        return store().put(write(bytes), sha(bytes));
    }

    Path write(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(tmp, "src-", ".bin"), bytes);
    }

    static String sha(byte[] bytes) {
        var digest = Sha256.digest();
        digest.update(bytes);
        return Sha256.hex(digest);
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void assertEmpty(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.toList(), "nothing left behind in " + dir);
            }
        }
    }
}
