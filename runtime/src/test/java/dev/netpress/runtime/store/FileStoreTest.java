package dev.netpress.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FileStoreTest extends ArtifactStoreContract {
    private FileStore store;
    private Path root;

    @BeforeEach
    void open() throws IOException {
        root = tmp.resolve("store");
        store = new FileStore(root);
    }

    @Override
    ArtifactStore store() {
        return store;
    }

    @Override
    void overwrite(StoredArtifact stored, byte[] bytes) throws IOException {
        Files.write(Path.of(URI.create(stored.uri())), bytes);
    }

    @Override
    List<String> nearMisses(StoredArtifact stored) {
        String name = stored.sha256() + ".safetensors";
        return List.of(
            tmp.resolve("store2").resolve(name).toUri().toString(),
            tmp.resolve(name).toUri().toString(),
            "file://otherhost" + root.resolve(name).toUri().getPath(),
            "file:" + name);
    }

    @Test
    void refusesASymbolicLinkLeadingOutOfTheRoot() throws IOException {
        Path outside = Files.writeString(tmp.resolve("secret.txt"), "secret");
        Path link = Files.createSymbolicLink(root.resolve("link"), outside);
        StoreException e = assertThrows(StoreException.class, () -> store.exists(link.toUri().toString()));
        assertEquals(StoreException.Kind.REFUSED_URI, e.kind());
    }

    @Test
    void opensFromAUri() throws IOException {
        try (ArtifactStore opened = ArtifactStores.open(root.toUri().toString())) {
            assertEquals(store.root(), opened.root());
        }
        assertThrows(IllegalArgumentException.class, () -> ArtifactStores.open("gs://bucket/prefix"));
        assertThrows(IllegalArgumentException.class, () -> ArtifactStores.open("file://host/dir"));
    }
}
