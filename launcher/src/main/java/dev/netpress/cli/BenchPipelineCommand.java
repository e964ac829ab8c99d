package dev.netpress.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.artifact.ModelCard;
import dev.netpress.data.DatasetSpec;
import dev.netpress.graph.Graph;
import dev.netpress.measure.Stats;
import dev.netpress.runtime.broker.EmbeddedKafka;
import dev.netpress.runtime.event.ModelEvent;
import dev.netpress.runtime.pipeline.Pipeline;
import dev.netpress.runtime.recipe.Recipe;
import dev.netpress.runtime.recipe.RecipeStep;
import dev.netpress.runtime.stage.StageService;
import dev.netpress.runtime.store.FileStore;
import dev.netpress.technique.OptionValues;
import dev.netpress.technique.Technique;
import dev.netpress.technique.Techniques;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code netpress bench pipeline}: what the pipeline (Kafka and the object store) adds to a stage, against the
 * same technique called in this process, and how a second replica of a slow stage changes throughput. Everything
 * runs in this JVM on an in-process broker and a file store, so broker, stages and technique share the cores.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times one fold step through the pipeline (in-process Kafka, file store) against the same fold"
            + " in this process for a ~1 MB and a ~100 MB model, and the throughput of a sparsify stage with 1 and 2"
            + " replicas on a queue of 8 tiny models."})
final class BenchPipelineCommand implements Callable<Integer> {
    private static final double GOAL_MS = 100;
    private static final double GOAL_SHARE = 0.02;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final String HOP_STAGE = "fold";
    private static final String SLOW_STAGE = "sparsify";
    private static final List<String> PHASES = List.of("fetch", "load", "technique", "save", "put", "publish");

    @Spec
    CommandSpec spec;

    @Option(names = "--runs", defaultValue = "5",
            description = "Submissions of the ~1 MB model; the ~100 MB one gets about half (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--quick", description = "Small models, two runs each, a queue of 4 and little data: a smoke test.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    /** A model to time hops on. */
    private record Size(String label, ZooConfig config, int runs) {}

    /** A model out of the stage: when, and on which topic (the output or the dead-letter topic). */
    private record Arrival(Instant at, String topic) {}

    /** Per run: end-to-end hop and the stage's own phases, in milliseconds. */
    private record Hop(double hopMs, Map<String, Double> phasesMs) {}

    private PrintWriter out;
    private Path dir;
    private EmbeddedKafka kafka;
    private FileStore store;
    private DatasetSpec dataset;
    private int recipes;

    @Override
    public Integer call() throws Exception {
        if (runs < 2) {
            throw new ParameterException(spec.commandLine(), "--runs must be at least 2: the first run is reported apart");
        }
        out = spec.commandLine().getOut();
        dataset = DatasetSpec.parse(DatasetSpec.FASHION_MNIST);
        ZooConfig base = ZooConfig.fashionMnist();
        int hopRuns = quick ? 2 : runs;
        List<Size> sizes = List.of(
                new Size("small", base.toBuilder().optWidth(0.125).optClassifierHidden(64).build(), hopRuns),
                // vgg16_bn at full width: 14.7M conv weights; the 3072-wide classifier brings it to ~26M (~100 MB)
                quick ? new Size("medium", base.toBuilder().optWidth(0.375).optClassifierHidden(512).build(), hopRuns)
                        : new Size("large", base.toBuilder().optWidth(1.0).optClassifierHidden(3072).build(),
                                Math.max(2, (runs + 1) / 2)));
        int queue = quick ? 4 : 8;
        int trainLimit = quick ? 128 : 3072;
        int validLimit = quick ? 64 : 256;

        Map<String, Object> doc = new LinkedHashMap<>();
        dir = Files.createTempDirectory("netpress-bench-pipeline-");
        try (EmbeddedKafka k = EmbeddedKafka.start(); FileStore s = new FileStore(dir.resolve("store"))) {
            kafka = k;
            store = s;
            out.printf(Locale.ROOT, "in-process Kafka broker (KRaft) at %s, file store %s, %d cores%n%n",
                    kafka.bootstrapServers(), store.root(), Runtime.getRuntime().availableProcessors());
            out.println("1. Per-hop overhead: one " + HOP_STAGE + " step through the pipeline against the same "
                    + HOP_STAGE + " in this process (load → technique → save, as `netpress apply`)");
            List<Map<String, Object>> hops = new ArrayList<>();
            for (Size size : sizes) {
                hops.add(hopOverhead(size));
            }
            doc.put("hops", hops);

            out.println();
            out.printf(Locale.ROOT, "2. Throughput: a one-step %s recipe (1 epoch on %d images, %d to validate) on a"
                    + " queue of %d tiny models%n", SLOW_STAGE, trainLimit, validLimit, queue);
            Map<String, Object> throughput = throughput(base.toBuilder().optWidth(0.125).optClassifierHidden(64).build(),
                    queue, trainLimit, validLimit);
            doc.put("throughput", throughput);

            out.println();
            out.println("3. Goals (issue 5)");
            goals(hops, throughput);
        } finally {
            deleteTree(dir);
        }
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
            out.println("figures written to " + json);
        }
        out.flush();
        return 0;
    }

    // ---- 1. per-hop overhead

    private Map<String, Object> hopOverhead(Size size) throws Exception {
        Graph graph = Zoo.build("vgg16_bn", size.config());
        Path models = Files.createDirectories(dir.resolve(size.label()));
        // one copy per submission, each its own lineage: the stage keys, and the lineage app tracks, by lineage id
        List<Path> copies = new ArrayList<>();
        for (int i = 0; i < size.runs(); i++) {
            Path p = models.resolve("in-" + i + ".safetensors");
            Artifacts.save(new Artifact(graph, ModelCard.of(size.label(), UUID.randomUUID().toString(), "zoo:vgg16_bn")),
                    p);
            copies.add(p);
        }
        long bytes = Files.size(copies.get(0));
        String what = String.format(Locale.ROOT, "vgg16_bn width %s, classifier %d: %,d parameters, %.2f MB artifact",
                num(size.config().width()), size.config().classifierHidden(), graph.parameterCount(), bytes / 1e6);
        out.println();
        out.println(what);
        out.flush();

        Technique<?> technique = Techniques.named(HOP_STAGE);
        Map<String, String> raw = OptionValues.of(technique.name(), technique.options(), Map.of()).asMap();
        Object options = technique.parse(OptionValues.of(technique.name(), technique.options(), Map.of()));
        double[] inProcess = new double[size.runs()];
        try (LocalData data = new LocalData(dataset, 64, null, null, size.config().imageSize())) {
            for (int i = 0; i < size.runs(); i++) {
                Path outFile = models.resolve("local-" + i + ".safetensors");
                long t0 = System.nanoTime();
                LoadedArtifact input = Artifacts.load(copies.get(i));
                TechniqueRun.apply(technique, options, raw, new LocalContext(input, data, nullStream()), outFile);
                inProcess[i] = (System.nanoTime() - t0) / 1e6;
                Files.delete(outFile);
            }
        }

        Recipe recipe = recipe(HOP_STAGE, Map.of());
        List<Hop> hops = new ArrayList<>();
        try (Pipeline pipeline = Pipeline.start(recipe, settings(1, null, null), TIMEOUT);
                KafkaConsumer<byte[], byte[]> sink = sink(recipe, 1)) {
            awaitAssigned(recipe.groupId(1), 1);
            StageService stage = pipeline.stages().get(0);
            for (Path copy : copies) {
                Map<String, Double> before = phases(stage);
                ModelEvent submitted = pipeline.submit(copy);
                // the submitted event's finish is just before its produce: the hop starts there
                Instant produced = submitted.timings().finishedAt();
                Arrival arrived = await(sink, Set.of(submitted.lineageId())).get(submitted.lineageId());
                if (!arrived.topic().equals(recipe.accepted())) {
                    throw new IllegalStateException(HOP_STAGE + " dead-lettered a model: " + stage.lastError());
                }
                double hopMs = Duration.between(produced, arrived.at()).toNanos() / 1e6;
                Map<String, Double> after = phases(stage);
                Map<String, Double> took = new LinkedHashMap<>();
                PHASES.forEach(p -> took.put(p, after.get(p) - before.get(p)));
                hops.add(new Hop(hopMs, took));
            }
        } finally {
            deleteTree(models);
        }

        double[] hop = hops.stream().mapToDouble(Hop::hopMs).toArray();
        double local = median(rest(inProcess));
        double pipe = median(rest(hop));
        Map<String, Double> phaseMedians = new LinkedHashMap<>();
        for (String p : PHASES) {
            phaseMedians.put(p, median(rest(hops.stream().mapToDouble(h -> h.phasesMs().get(p)).toArray())));
        }
        // what the pipeline adds to the work apply does too (load, technique, save), measured inside the same hops:
        // hop − in-process apply mixes in two JVM code paths' different warm-up, and went negative at 100 MB
        double overhead = pipe - phaseMedians.get("load") - phaseMedians.get("technique") - phaseMedians.get("save");
        double stageSum = phaseMedians.values().stream().mapToDouble(Double::doubleValue).sum();
        double technique0 = phaseMedians.get("technique");

        out.printf(Locale.ROOT, "  %-44s %10s %10s%n", "", "first", "median");
        row("in-process apply (load → fold → save)", inProcess[0], local);
        row("pipeline hop (produce → output committed)", hop[0], pipe);
        for (String p : PHASES) {
            double[] v = hops.stream().mapToDouble(h -> h.phasesMs().get(p)).toArray();
            row("  stage " + p, v[0], phaseMedians.get(p));
        }
        row("  Kafka between stage phases (hop − phases)", hop[0] - sum(hops.get(0).phasesMs()), pipe - stageSum);
        out.printf(Locale.ROOT, "  medians over runs 2..%d; the first run is apart (JIT, first transaction)%n",
                size.runs());
        out.printf(Locale.ROOT, "  overhead = hop − the stage's load, technique and save = %.1f ms (fetch, put, publish"
                + " and Kafka); hop against the in-process apply: %.2fx; the stage's own fold took %.1f ms%n", overhead,
                pipe / local, technique0);
        out.flush();

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", what);
        m.put("parameters", graph.parameterCount());
        m.put("artifact_bytes", bytes);
        m.put("runs", size.runs());
        m.put("in_process_ms", inProcess);
        m.put("hop_ms", hop);
        m.put("in_process_median_ms", local);
        m.put("hop_median_ms", pipe);
        m.put("stage_phase_median_ms", phaseMedians);
        m.put("overhead_ms", overhead);
        m.put("first_hop_ms", hop[0]);
        return m;
    }

    private void row(String label, double first, double median) {
        out.printf(Locale.ROOT, "  %-44s %7.1f ms %7.1f ms%n", label, first, median);
    }

    /** The stage's cumulative time per phase so far, in milliseconds. */
    private static Map<String, Double> phases(StageService stage) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String p : PHASES) {
            Timer t = stage.registry().find("netpress.stage.phase").tag("phase", p).timer();
            m.put(p, t == null ? 0 : t.totalTime(TimeUnit.MILLISECONDS));
        }
        return m;
    }

    // ---- 2. throughput

    private Map<String, Object> throughput(ZooConfig tiny, int queue, int trainLimit, int validLimit) throws Exception {
        Graph graph = Zoo.build("vgg11_bn", tiny);
        Path models = Files.createDirectories(dir.resolve("tiny"));
        Map<String, String> stageOptions = Map.of("sparsity", "50", "epochs", "1");
        // lineage ids are the keys: chosen so the queue splits evenly over 2 partitions, as a long queue would
        List<Path> copies = new ArrayList<>();
        int[] perPartition = new int[2];
        while (copies.size() < queue) {
            String id = UUID.randomUUID().toString();
            int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % 2;
            if (perPartition[partition] < queue / 2) {
                perPartition[partition]++;
                Path p = models.resolve("tiny-" + copies.size() + ".safetensors");
                Artifacts.save(new Artifact(graph, ModelCard.of("tiny", id, "zoo:vgg11_bn")), p);
                copies.add(p);
            }
        }
        out.printf(Locale.ROOT, "vgg11_bn width %s, classifier %d: %,d parameters, %.2f MB artifact%n",
                num(tiny.width()), tiny.classifierHidden(), graph.parameterCount(), Files.size(copies.get(0)) / 1e6);

        // the same job in this process, once, so that neither pipeline pays for the JIT and the first data load alone
        Technique<?> technique = Techniques.named(SLOW_STAGE);
        OptionValues values = OptionValues.of(technique.name(), technique.options(), stageOptions);
        double localSeconds;
        try (LocalData data = new LocalData(dataset, 64, trainLimit, validLimit, tiny.imageSize())) {
            long t0 = System.nanoTime();
            TechniqueRun.apply(technique, technique.parse(values), values.asMap(),
                    new LocalContext(Artifacts.load(copies.get(0)), data, nullStream()),
                    models.resolve("local.safetensors"));
            localSeconds = (System.nanoTime() - t0) / 1e9;
        }
        out.printf(Locale.ROOT, "  in-process %s of one model, first in this JVM (load → technique → save): %.2f s%n",
                SLOW_STAGE, localSeconds);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queue", queue);
        m.put("in_process_first_job_s", localSeconds);
        double[] perMinute = new double[2];
        try {
            for (int replicas = 1; replicas <= 2; replicas++) {
                Recipe recipe = recipe(SLOW_STAGE, stageOptions);
                double seconds;
                double retried = 0;
                long failed;
                try (Pipeline pipeline = Pipeline.start(recipe, settings(replicas, trainLimit, validLimit), TIMEOUT);
                        KafkaConsumer<byte[], byte[]> sink = sink(recipe, replicas)) {
                    awaitAssigned(recipe.groupId(1), replicas);
                    long t0 = System.nanoTime();
                    Set<String> ids = new HashSet<>();
                    for (Path copy : copies) {
                        ids.add(pipeline.submit(copy).lineageId());
                    }
                    Map<String, Arrival> arrived = await(sink, ids);
                    seconds = (System.nanoTime() - t0) / 1e9;
                    failed = arrived.values().stream().filter(a -> !a.topic().equals(recipe.accepted())).count();
                    for (StageService stage : pipeline.stages()) {
                        retried += stage.registry().get("netpress.stage.jobs").tag("outcome", "retried").counter().count();
                    }
                    if (replicas == 1) {
                        Timer t = pipeline.stages().get(0).registry().find("netpress.stage.phase").tag("phase", "technique")
                                .timer();
                        m.put("stage_job_s", t.mean(TimeUnit.SECONDS));
                    }
                }
                // only models that came out count: a dead-lettered one was not compressed
                perMinute[replicas - 1] = 60 * (queue - failed) / seconds;
                out.printf(Locale.ROOT, "  %d replica%s (%d partition%s): %d models in %6.1f s = %5.2f models/min%s%n",
                        replicas, replicas == 1 ? " " : "s", replicas, replicas == 1 ? " " : "s", queue - failed, seconds,
                        perMinute[replicas - 1], failed == 0 ? "" : ", " + failed + " dead-lettered after its retries");
                if (retried > 0) {
                    out.printf(Locale.ROOT, "    %.0f job attempt(s) failed and were retried (see the log)%n", retried);
                }
                out.flush();
                m.put(replicas + "_replica_s", seconds);
                m.put(replicas + "_replica_models_per_min", perMinute[replicas - 1]);
                m.put(replicas + "_replica_retried", retried);
                m.put(replicas + "_replica_dead_lettered", failed);
            }
        } finally {
            deleteTree(models);
        }
        double speedup = perMinute[1] / perMinute[0];
        m.put("speedup", speedup);
        out.printf(Locale.ROOT, "  2 replicas against 1: %.2fx. Both replicas run in this JVM on its %d cores, beside"
                + " the broker; in production each replica is a process of its own (`netpress stage`).%n", speedup,
                Runtime.getRuntime().availableProcessors());
        return m;
    }

    // ---- 3. goals

    private void goals(List<Map<String, Object>> hops, Map<String, Object> throughput) {
        double tinyJobMs = 1000 * (double) throughput.get("stage_job_s");
        for (Map<String, Object> h : hops) {
            double overhead = (double) h.get("overhead_ms");
            long bytes = (long) h.get("artifact_bytes");
            out.printf(Locale.ROOT, "  %6.2f MB model: overhead %.1f ms — ≤ %.0f ms: %s; ≤ 2%% of stage time holds for"
                    + " stages of %.1f s and longer%n", bytes / 1e6, overhead, GOAL_MS,
                    overhead <= GOAL_MS ? "met" : "NOT met", overhead / GOAL_SHARE / 1000);
        }
        double smallOverhead = (double) hops.get(0).get("overhead_ms");
        out.printf(Locale.ROOT, "  against a stage that trains: the small model's overhead is %.2f%% of one %s job on a"
                + " tiny model (%.1f s, the 1-replica stage's mean technique time) — ≤ 2%%: %s%n", 100 * smallOverhead / tinyJobMs, SLOW_STAGE,
                tinyJobMs / 1000, smallOverhead <= GOAL_SHARE * tinyJobMs ? "met" : "NOT met");
        out.println("  against a fold of a few milliseconds no overhead is 2%: the share is judged against stages that"
                + " train (distill, sparsify, fine-tuning), which take minutes on a real model and data set.");
    }

    // ---- plumbing

    private Recipe recipe(String stage, Map<String, String> options) {
        String name = "bench-" + stage + "-" + (++recipes);
        return new Recipe(name, "netpress." + name + ".in", Map.of(), List.of(RecipeStep.of(stage, options)),
                Recipe.defaultAccepted(name), Recipe.defaultRejected(name));
    }

    private Pipeline.Settings settings(int replicas, Integer trainLimit, Integer validLimit) {
        return new Pipeline.Settings(kafka.bootstrapServers(), null, store, dataset, 64, trainLimit, validLimit, replicas,
                dir.resolve("stages"));
    }

    /**
     * A read_committed consumer, as the next stage would read, at the end of the recipe's output topic and of its
     * dead-letter topic.
     */
    private KafkaConsumer<byte[], byte[]> sink(Recipe recipe, int partitions) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = new ArrayList<>();
        for (String topic : List.of(recipe.accepted(), recipe.dlq(1))) {
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(topic, i));
            }
        }
        c.assign(tps);
        c.seekToEnd(tps);
        tps.forEach(c::position); // resolves the end now, before anything is submitted
        return c;
    }

    /** When and where each of {@code ids} arrived. */
    private static Map<String, Arrival> await(KafkaConsumer<byte[], byte[]> sink, Set<String> ids) {
        Map<String, Arrival> arrived = new HashMap<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (arrived.size() < ids.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + arrived.size() + " of " + ids.size() + " models came out"
                        + " within " + TIMEOUT);
            }
            for (ConsumerRecord<byte[], byte[]> r : sink.poll(Duration.ofMillis(100))) {
                Instant now = Instant.now();
                String id = new String(r.key(), StandardCharsets.UTF_8);
                if (ids.contains(id)) {
                    arrived.putIfAbsent(id, new Arrival(now, r.topic()));
                }
            }
        }
        return arrived;
    }

    /**
     * Waits until the step's consumer group has {@code members} members, each with a partition: a model submitted
     * before would be timed with the group's join, or taken by one replica and moved to the other mid-job.
     */
    private void awaitAssigned(String group, int members) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription d;
                try {
                    d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
                } catch (ExecutionException e) {
                    d = null; // the group does not exist until its first member joins
                }
                if (d != null && d.members().size() == members
                        && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("group " + group + " did not get " + members + " assigned members within "
                    + TIMEOUT);
        }
    }

    /** Every run but the first. */
    private static double[] rest(double[] runs) {
        return Arrays.copyOfRange(runs, 1, runs.length);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return Stats.percentile(s, 0.5);
    }

    private static double sum(Map<String, Double> phases) {
        return phases.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** Where the techniques' own progress goes: the bench prints only its figures. */
    private static PrintStream nullStream() {
        return new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
