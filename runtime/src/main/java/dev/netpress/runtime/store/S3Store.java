package dev.netpress.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An {@link ArtifactStore} in an S3 bucket under a prefix: AWS itself, or MinIO, S3Proxy or any other S3 API
 * given as an endpoint override. Objects are {@code s3://bucket/prefix/artifacts/<sha256>.safetensors}.
 */
public final class S3Store implements ArtifactStore {
    /** S3's bucket naming rules (lower case, digits, dots, hyphens); anything else cannot be a bucket. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** Prefixes are kept to characters that need no escaping in a URI, so the URI of a key is the key. */
    private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*)?");

    /**
     * How to reach the S3 API.
     *
     * @param endpoint an endpoint override (MinIO, S3Proxy); null for AWS itself. With an override, requests
     *     use path-style addressing ({@code http://host/bucket/key}), which those servers expect
     * @param region the signing region
     * @param credentials where the access keys come from
     */
    public record Settings(URI endpoint, String region, AwsCredentialsProvider credentials) {
        public Settings {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(credentials, "credentials");
        }

        /**
         * From the environment as the AWS tools read it: the endpoint from {@code AWS_ENDPOINT_URL_S3} or
         * {@code AWS_ENDPOINT_URL}, the region from {@code AWS_REGION} or {@code AWS_DEFAULT_REGION} (else
         * us-east-1, without asking EC2's metadata service, which is slow to time out off EC2), the
         * credentials from the SDK's default chain (environment, profile, web identity, container, instance).
         */
        public static Settings fromEnvironment() {
            String endpoint = firstSet(System.getenv("AWS_ENDPOINT_URL_S3"), System.getenv("AWS_ENDPOINT_URL"));
            String region = firstSet(System.getenv("AWS_REGION"), System.getenv("AWS_DEFAULT_REGION"));
            return new Settings(endpoint == null ? null : URI.create(endpoint), region == null ? "us-east-1" : region,
                DefaultCredentialsProvider.builder().build());
        }

        /** Fixed keys, for tests and for servers such as S3Proxy that are given their keys on the command line. */
        public static Settings withKeys(URI endpoint, String accessKeyId, String secretAccessKey) {
            return new Settings(endpoint, "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
        }

        private static String firstSet(String a, String b) {
            return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
        }
    }

    private final String bucket;
    private final String prefix;
    private final S3Client s3;

    /**
     * A store in {@code bucket} under {@code prefix} (may be empty; slashes at either end are ignored).
     * The bucket is not created: it belongs to whoever runs the storage.
     */
    public S3Store(String bucket, String prefix, Settings settings) {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("not an S3 bucket name: " + bucket);
        }
        String trimmed = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        if (!PREFIX.matcher(trimmed).matches() || trimmed.matches("(.*/)?\\.{1,2}(/.*)?")) {
            throw new IllegalArgumentException("an S3 prefix here is segments of letters, digits, '_', '.', '-'"
                + " (no '.' or '..' segments): " + prefix);
        }
        this.bucket = bucket;
        this.prefix = trimmed;
        S3ClientBuilder builder = S3Client.builder()
            .httpClient(ApacheHttpClient.builder().build())
            .region(Region.of(settings.region()))
            .credentialsProvider(settings.credentials())
            // the SDK's default trailing CRC checksums (aws-chunked uploads) are not understood by every
            // S3-compatible server (S3Proxy 2.6.0 answers 400); integrity is checked end to end with the SHA-256
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint()).forcePathStyle(true);
        }
        this.s3 = builder.build();
    }

    @Override
    public String root() {
        return "s3://" + bucket + "/" + (prefix.isEmpty() ? "" : prefix + "/");
    }

    @Override
    public StoredArtifact put(Path file, String sha256) throws IOException {
        Sha256.requireHex(sha256);
        Sha256.Copied actual;
        try (InputStream in = Files.newInputStream(file)) {
            actual = Sha256.copy(in, OutputStream.nullOutputStream());
        } catch (NoSuchFileException e) {
            throw new StoreException(StoreException.Kind.NOT_FOUND, "no file to store at " + file, e);
        }
        if (!actual.sha256().equals(sha256)) {
            throw Keys.putMismatch(file.toString(), sha256, actual);
        }
        String key = keyFor(sha256);
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentLength(actual.bytes())
                    .contentType("application/octet-stream").metadata(Map.of("sha256", sha256)),
                RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw backend("storing " + file + " as s3://" + bucket + "/" + key, e);
        }
        return new StoredArtifact("s3://" + bucket + "/" + key, sha256, actual.bytes());
    }

    @Override
    public Path get(String uri, String expectedSha256, Path destDir) throws IOException {
        Sha256.requireHex(expectedSha256);
        String key = resolve(uri);
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            return Keys.copyVerified(in, uri, expectedSha256, destDir);
        } catch (NoSuchKeyException e) {
            throw new StoreException(StoreException.Kind.NOT_FOUND, "no artifact at " + uri, e);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new StoreException(StoreException.Kind.NOT_FOUND, "no artifact at " + uri, e);
            }
            throw backend("reading " + uri, e);
        } catch (SdkException e) {
            throw backend("reading " + uri, e);
        }
    }

    @Override
    public boolean exists(String uri) throws IOException {
        String key = resolve(uri);
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            // HEAD has no body, so a missing key comes back as a bare 404 rather than NoSuchKey
            if (e.statusCode() == 404) {
                return false;
            }
            throw backend("looking up " + uri, e);
        } catch (SdkException e) {
            throw backend("looking up " + uri, e);
        }
    }

    private String keyFor(String sha256) {
        String key = ArtifactStore.keyOf(sha256);
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }

    /** The key a URI names, if it is in this store's bucket and strictly under its prefix. */
    private String resolve(String uri) throws StoreException {
        URI parsed = Keys.parse(uri, "s3", root());
        if (!bucket.equals(parsed.getRawAuthority())) {
            throw Keys.refused(uri, "not in bucket " + bucket);
        }
        if (parsed.getRawQuery() != null || parsed.getRawFragment() != null || parsed.getPath() == null
                || !parsed.getPath().startsWith("/")) {
            throw Keys.refused(uri, "an s3: URI here is s3://bucket/key, with no query or fragment");
        }
        String key = parsed.getPath().substring(1);
        Keys.requirePlainSegments(uri, key);
        if (!prefix.isEmpty() && !key.startsWith(prefix + "/")) {
            throw Keys.refused(uri, "outside the store's prefix " + root());
        }
        return key;
    }

    private static StoreException backend(String what, SdkException e) {
        return new StoreException(StoreException.Kind.BACKEND, what + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        s3.close();
    }
}
