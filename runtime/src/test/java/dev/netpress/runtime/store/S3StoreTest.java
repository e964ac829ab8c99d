package dev.netpress.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store contract against a real S3 API: S3Proxy in this JVM, over an in-memory blob store. */
class S3StoreTest extends ArtifactStoreContract {
    private static final String BUCKET = "artifacts-test";

    private static S3ProxyServer server;
    private static S3Store.Settings settings;

    private S3Store store;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        server = S3ProxyServer.start(BUCKET);
        settings = server.settings();
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void open() {
        store = new S3Store(BUCKET, "runs/test", settings);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    ArtifactStore store() {
        return store;
    }

    @Override
    void overwrite(StoredArtifact stored, byte[] bytes) {
        // straight into the blob store under S3Proxy, as a writer that bypasses the store would
        URI uri = URI.create(stored.uri());
        var blobStore = server.blobStore();
        blobStore.putBlob(uri.getHost(), blobStore.blobBuilder(uri.getPath().substring(1)).payload(bytes).build());
    }

    @Override
    List<String> nearMisses(StoredArtifact stored) {
        String key = "artifacts/" + stored.sha256() + ".safetensors";
        return List.of(
            "s3://other-bucket/runs/test/" + key,
            "s3://" + BUCKET + "/runs/other/" + key,
            "s3://" + BUCKET + "/runs/testing/" + key,
            "s3://" + BUCKET + "/" + key,
            "s3://" + BUCKET + ":9000/runs/test/" + key,
            "s3://user@" + BUCKET + "/runs/test/" + key,
            "S3://" + BUCKET + "/runs/test/" + key);
    }

    @Test
    void opensFromAUri() throws IOException {
        try (ArtifactStore opened = ArtifactStores.open("s3://" + BUCKET + "/runs/test/", settings)) {
            assertEquals("s3://" + BUCKET + "/runs/test/", opened.root());
        }
        assertThrows(IllegalArgumentException.class, () -> ArtifactStores.open("s3://Not_A_Bucket/x", settings));
        assertThrows(IllegalArgumentException.class, () -> ArtifactStores.open("s3://" + BUCKET + "/a/../b", settings));
    }
}
