package dev.netpress.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Properties;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store contract against a real S3 API: S3Proxy in this JVM, over an in-memory blob store. */
class S3StoreTest extends ArtifactStoreContract {
    private static final String ACCESS_KEY = "netpress-test";
    private static final String SECRET_KEY = "netpress-test-secret";
    private static final String BUCKET = "artifacts-test";

    private static BlobStoreContext blobs;
    private static S3Proxy proxy;
    private static S3Store.Settings settings;

    private S3Store store;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        blobs = ContextBuilder.newBuilder("transient").credentials("unused", "unused")
            .overrides(new Properties()).build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, BUCKET);
        proxy = S3Proxy.builder()
            .blobStore(blobs.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(20);
        }
        settings = S3Store.Settings.withKeys(URI.create("http://127.0.0.1:" + proxy.getPort()), ACCESS_KEY, SECRET_KEY);
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        if (blobs != null) {
            blobs.close();
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
        var blobStore = blobs.getBlobStore();
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
