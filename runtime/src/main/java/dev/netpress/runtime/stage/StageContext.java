package dev.netpress.runtime.stage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;

import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.data.DataLoader;
import dev.netpress.data.ImageDataset;
import dev.netpress.data.Split;
import dev.netpress.runtime.store.ArtifactStore;
import dev.netpress.technique.TechniqueContext;

/**
 * What a technique gets from a stage service: the stage's data, opened on first use and kept for later jobs
 * (a loader's batches depend only on its seed and the epoch, so a reused loader gives a job the batches a fresh
 * one would), and other artifacts from the store by reference.
 *
 * <p>A reference (a distill teacher, an evaluate baseline) is a URI of the stage's store with the SHA-256 it
 * must have: {@code <uri>#sha256=<hex>}, or {@code sha256:<hex>} for the store's content-keyed object with
 * that digest, or a bare URI of a content-keyed object ({@code …/artifacts/<hex>.safetensors}), whose name is
 * its digest. The store checks the file's SHA-256 on download and the artifact's own content digest is checked
 * on load. Referenced artifacts stay downloaded and loaded for later jobs: the references come from the stage's
 * options, so there are few.
 *
 * <p>Used by the stage's single worker thread only.
 */
final class StageContext implements AutoCloseable {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CONTENT_KEYED = Pattern.compile(".*/([0-9a-f]{64})\\.safetensors");
    private static final String FRAGMENT = "sha256=";
    private static final String BARE = "sha256:";
    private static final int VALID_BATCH = 256;

    private final StageConfig config;
    private final Path refDir;
    private final LongConsumer bytesRead;
    private final PrintStream log;
    private final Map<Integer, DataLoader> train = new HashMap<>();
    private final Map<Integer, DataLoader> valid = new HashMap<>();
    private final Map<String, LoadedArtifact> resolved = new HashMap<>();

    /** A stored artifact and the SHA-256 its bytes must have. */
    record Reference(String uri, String sha256) {
    }

    StageContext(StageConfig config, Path refDir, LongConsumer bytesRead, Logger logger) {
        this.config = config;
        this.refDir = refDir;
        this.bytesRead = bytesRead;
        this.log = new PrintStream(new LineLogger(logger), true, StandardCharsets.UTF_8);
    }

    /** The context of one job on {@code input}. */
    TechniqueContext forJob(LoadedArtifact input) {
        int imageSize = input.graph().inputs().get(0).shape().get(-1);
        return new TechniqueContext() {
            @Override
            public DataLoader train() {
                return train.computeIfAbsent(imageSize, size -> {
                    ImageDataset ds = config.dataset().load(Split.TRAIN);
                    return DataLoader.builder(config.trainLimit() == null ? ds : ds.first(config.trainLimit()),
                            config.batchSize())
                        .transform(config.dataset().trainTransform(size)).shuffle(true).seed(1).prefetch(true).build();
                });
            }

            @Override
            public DataLoader valid() {
                return valid.computeIfAbsent(imageSize, size -> {
                    ImageDataset ds = config.dataset().load(Split.TEST);
                    return DataLoader.builder(config.validLimit() == null ? ds : ds.first(config.validLimit()),
                            VALID_BATCH).transform(config.dataset().testTransform(size)).build();
                });
            }

            @Override
            public LoadedArtifact input() {
                return input;
            }

            @Override
            public LoadedArtifact resolve(String reference) throws IOException {
                return StageContext.this.resolve(reference);
            }

            @Override
            public PrintStream log() {
                return log;
            }
        };
    }

    private LoadedArtifact resolve(String reference) throws IOException {
        Reference ref = parse(reference, config.store().root());
        LoadedArtifact cached = resolved.get(ref.sha256());
        if (cached != null) {
            return cached;
        }
        Path file = config.store().get(ref.uri(), ref.sha256(), refDir);
        LoadedArtifact loaded = Artifacts.load(file, ref.sha256());
        bytesRead.accept(loaded.ref().bytes());
        resolved.put(ref.sha256(), loaded);
        return loaded;
    }

    /**
     * Reads a reference (see the class comment) against a store whose objects start with {@code storeRoot}.
     *
     * @throws IllegalArgumentException for a reference that does not say which bytes it means
     */
    static Reference parse(String reference, String storeRoot) {
        String ref = reference.strip();
        if (ref.startsWith(BARE)) {
            String sha = ref.substring(BARE.length()).toLowerCase(Locale.ROOT);
            requireSha(sha, reference);
            return new Reference(storeRoot + ArtifactStore.keyOf(sha), sha);
        }
        int hash = ref.indexOf('#');
        if (hash >= 0) {
            String fragment = ref.substring(hash + 1);
            if (!fragment.startsWith(FRAGMENT)) {
                throw new IllegalArgumentException("artifact reference " + reference + ": the fragment must be #"
                    + FRAGMENT + "<hex>");
            }
            String sha = fragment.substring(FRAGMENT.length()).toLowerCase(Locale.ROOT);
            requireSha(sha, reference);
            return new Reference(ref.substring(0, hash), sha);
        }
        Matcher m = CONTENT_KEYED.matcher(ref);
        if (m.matches()) {
            return new Reference(ref, m.group(1));
        }
        throw new IllegalArgumentException("artifact reference " + reference + " does not say which bytes it means: "
            + "write <uri>#" + FRAGMENT + "<hex>, " + BARE + "<hex>, or the URI of a content-keyed object");
    }

    private static void requireSha(String sha, String reference) {
        if (!SHA256.matcher(sha).matches()) {
            throw new IllegalArgumentException("artifact reference " + reference + ": not a SHA-256 (64 hex digits)");
        }
    }

    @Override
    public void close() {
        train.values().forEach(DataLoader::close);
        valid.values().forEach(DataLoader::close);
        train.clear();
        valid.clear();
        resolved.clear();
        log.flush();
    }

    /** A technique's log lines, one logger line each. */
    private static final class LineLogger extends OutputStream {
        private final Logger logger;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineLogger(Logger logger) {
            this.logger = logger;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                flushLine();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void flush() {
            flushLine();
        }

        private void flushLine() {
            if (line.size() > 0) {
                logger.info(line.toString(StandardCharsets.UTF_8).stripTrailing());
                line.reset();
            }
        }
    }
}
