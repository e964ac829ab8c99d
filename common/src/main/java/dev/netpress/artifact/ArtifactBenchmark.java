package dev.netpress.artifact;

import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.DType;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures how fast artifacts save and load and how much memory a load takes. Not part of the
 * test suite; run it by hand:
 * {@code java -cp <classpath> dev.netpress.artifact.ArtifactBenchmark [dir] [megabytes]}.
 *
 * <p>The model is a chain of 2048×2048 F32 linear layers, as many as reach the target size. A
 * timed load checks the whole-file hash against the one save returned, parses, checks the content
 * digest and the graph, then reads one byte of every 4 KiB of every tensor. The file was just
 * written, so the page cache is warm: the figures measure this code, not the disk. Memory is the
 * process's resident set (VmRSS, Linux only) sampled every 5 ms during the load, less its value
 * just before; mapped file pages count in it, so about 1× the file is expected from the mapping.
 */
public final class ArtifactBenchmark {
    private static final int WIDTH = 2048;
    private static final int RUNS = 3;
    private static final int PAGE = 4096;
    private static final double MB = 1e6;

    /** Keeps the touched bytes observable so the JIT cannot skip reading them. */
    private static volatile long sink;

    private ArtifactBenchmark() {}

    /**
     * Medians over {@value #RUNS} timed runs after one warm-up.
     *
     * @param peakRssAboveBaseline the largest rise of the resident set during a load, in bytes,
     *     or -1 where /proc/self/status is not available
     */
    public record Result(long artifactBytes, double saveMBps, double loadMBps, long peakRssAboveBaseline) {
        /** Peak resident memory above baseline per artifact byte. */
        public double peakRatio() {
            return (double) peakRssAboveBaseline / artifactBytes;
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"));
        long megabytes = args.length > 1 ? Long.parseLong(args[1]) : 100;
        run(dir, megabytes * 1_000_000, System.out);
    }

    /** Saves and loads a model of about {@code targetBytes} in {@code dir}, printing each figure to {@code out}. */
    public static Result run(Path dir, long targetBytes, PrintStream out) throws IOException {
        int layers = (int) Math.max(1, Math.round(targetBytes / (4.0 * WIDTH * WIDTH)));
        Artifact artifact = new Artifact(chain(layers), ModelCard.of("benchmark", "benchmark", "ArtifactBenchmark"));
        Path file = dir.resolve("netpress-artifact-benchmark.safetensors");
        try {
            ArtifactRef ref = Artifacts.save(artifact, file);
            touch(Artifacts.load(file, ref.sha256()));

            long[] saveNanos = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                ref = Artifacts.save(artifact, file);
                saveNanos[i] = System.nanoTime() - start;
            }
            long[] loadNanos = new long[RUNS];
            Rss peak = Rss.NONE;
            for (int i = 0; i < RUNS; i++) {
                settle();
                try (RssSampler sampler = RssSampler.start()) {
                    long start = System.nanoTime();
                    touch(Artifacts.load(file, ref.sha256()));
                    loadNanos[i] = System.nanoTime() - start;
                    peak = peak.max(sampler.stop());
                }
            }

            Result r = new Result(ref.bytes(), ref.bytes() / MB / seconds(median(saveNanos)),
                    ref.bytes() / MB / seconds(median(loadNanos)), peak.total());
            out.printf("artifact: %.1f MB, %d F32 linear layers of %d×%d (MB = 10^6 bytes; page cache warm)%n",
                    r.artifactBytes() / MB, layers, WIDTH, WIDTH);
            out.printf("save: %.0f MB/s (median of %d: serialise, file SHA-256, fsync, rename)%n", r.saveMBps(), RUNS);
            out.printf("load: %.0f MB/s (median of %d: file SHA-256, parse, content SHA-256, graph check,"
                    + " one byte per 4 KiB page)%n", r.loadMBps(), RUNS);
            if (peak == Rss.NONE) {
                out.println("load peak RSS above baseline: n/a (no /proc/self/status)");
            } else {
                out.printf("load peak RSS above baseline: %.1f MB = %.2f× the artifact (max of %d loads;"
                        + " mapped file pages %.1f MB = %.2f×, anonymous %.1f MB = %.2f×)%n",
                        peak.total() / MB, r.peakRatio(), RUNS, peak.file() / MB, (double) peak.file() / r.artifactBytes(),
                        peak.anon() / MB, (double) peak.anon() / r.artifactBytes());
            }
            return r;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** input [WIDTH] → linear → … → linear, with pseudo-random weights. */
    private static Graph chain(int layers) {
        SplittableRandom random = new SplittableRandom(42);
        Graph.Builder b = Graph.builder().input("input", Dims.of(WIDTH));
        String previous = "input";
        for (int i = 0; i < layers; i++) {
            String name = "fc" + i;
            b.add(new Node(name, Op.LINEAR, List.of(previous), null, Map.of(
                    "weight", randomFloats(random, WIDTH, WIDTH), "bias", randomFloats(random, WIDTH))));
            previous = name;
        }
        return b.output(previous).build();
    }

    private static Tensor randomFloats(SplittableRandom random, int... shape) {
        Dims dims = Dims.of(shape);
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(dims.numel() * 4)).order(ByteOrder.LITTLE_ENDIAN);
        while (bytes.hasRemaining()) {
            bytes.putFloat((float) random.nextGaussian() * 0.02f);
        }
        return Tensor.of(DType.F32, dims, bytes.flip());
    }

    /** Reads one byte of every page of every tensor, and its last byte. */
    private static void touch(LoadedArtifact loaded) {
        long sum = 0;
        for (Tensor t : loaded.graph().tensors().values()) {
            ByteBuffer b = t.bytes();
            for (int i = 0; i < b.limit(); i += PAGE) {
                sum += b.get(i);
            }
            if (b.limit() > 0) {
                sum += b.get(b.limit() - 1);
            }
        }
        sink += sum;
    }

    /** Collects the previous load, so its mapping is released before the next baseline is taken. */
    private static void settle() {
        System.gc();
        try {
            Thread.sleep(200); // unmapping happens on the cleaner thread after collection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** A resident-set figure in bytes: total, file-backed and anonymous. */
    private record Rss(long total, long file, long anon) {
        static final Rss NONE = new Rss(-1, -1, -1);

        Rss max(Rss o) {
            return this == NONE ? o : o == NONE ? this
                    : new Rss(Math.max(total, o.total), Math.max(file, o.file), Math.max(anon, o.anon));
        }

        Rss minus(Rss o) {
            return this == NONE || o == NONE ? NONE : new Rss(total - o.total, file - o.file, anon - o.anon);
        }

        /** The current figures from /proc/self/status, or NONE where it does not exist. */
        static Rss now() {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("/proc/self/status"));
            } catch (IOException e) {
                return NONE;
            }
            return new Rss(kib(lines, "VmRSS:"), kib(lines, "RssFile:"), kib(lines, "RssAnon:"));
        }

        private static long kib(List<String> lines, String key) {
            return lines.stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> Long.parseLong(l.substring(key.length()).replace("kB", "").trim()) * 1024).orElse(0L);
        }
    }

    /** Samples the resident set every 5 ms on a background thread; each figure's peak is kept separately. */
    private static final class RssSampler implements AutoCloseable {
        private final Rss baseline = Rss.now();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Rss peak = Rss.NONE;

        private RssSampler() {
            thread = new Thread(() -> {
                while (running) {
                    peak = peak.max(Rss.now());
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
        }

        static RssSampler start() {
            RssSampler s = new RssSampler();
            s.thread.start();
            return s;
        }

        /** Stops sampling; the peak rise above the baseline, taking one last sample now. */
        Rss stop() {
            close();
            return peak.max(Rss.now()).minus(baseline);
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
