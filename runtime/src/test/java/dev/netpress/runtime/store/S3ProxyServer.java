package dev.netpress.runtime.store;

import java.net.URI;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/** A real S3 API in this JVM: S3Proxy over an in-memory blob store, with one bucket and fixed keys. */
public final class S3ProxyServer implements AutoCloseable {
    private static final String ACCESS_KEY = "netpress-test";
    private static final String SECRET_KEY = "netpress-test-secret";

    private final BlobStoreContext blobs;
    private final S3Proxy proxy;
    private final S3Store.Settings settings;

    private S3ProxyServer(String bucket) throws Exception {
        blobs = ContextBuilder.newBuilder("transient").credentials("unused", "unused")
            .overrides(new Properties()).build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, bucket);
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

    /** Starts a server with {@code bucket} created. */
    public static S3ProxyServer start(String bucket) throws Exception {
        return new S3ProxyServer(bucket);
    }

    /** Endpoint and keys for an {@link S3Store} on this server. */
    public S3Store.Settings settings() {
        return settings;
    }

    /** The blobs under the proxy, for tests that damage objects behind the store's back. */
    public org.jclouds.blobstore.BlobStore blobStore() {
        return blobs.getBlobStore();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        blobs.close();
    }
}
