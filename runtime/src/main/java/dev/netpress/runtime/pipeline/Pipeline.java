package dev.netpress.runtime.pipeline;

import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.data.DatasetSpec;
import dev.netpress.measure.Metric;
import dev.netpress.runtime.event.ArtifactInfo;
import dev.netpress.runtime.event.CloudEventHeaders;
import dev.netpress.runtime.event.EventCodec;
import dev.netpress.runtime.event.ModelEvent;
import dev.netpress.runtime.event.Timings;
import dev.netpress.runtime.lineage.Lineage;
import dev.netpress.runtime.lineage.LineageApp;
import dev.netpress.runtime.recipe.Recipe;
import dev.netpress.runtime.recipe.RecipeStep;
import dev.netpress.runtime.stage.StageConfig;
import dev.netpress.runtime.stage.StageService;
import dev.netpress.runtime.store.ArtifactStore;
import dev.netpress.runtime.store.StoredArtifact;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A recipe at work on one broker and one store: its topics created, stage services for its
 * steps (any number of replicas each), the lineage app, and models submitted and followed to the
 * recipe's sink. {@code netpress demo} and {@code run} use it to put a whole pipeline in one JVM;
 * in production every stage runs as its own service ({@code netpress stage}) and this class only
 * submits and reports.
 */
public final class Pipeline implements AutoCloseable {
    private static final Duration FOLLOW_POLL = Duration.ofMillis(250);

    /**
     * Where and how the stages run.
     *
     * @param clientProperties extra Kafka client properties (TLS, SASL) for every client
     * @param replicas stage services per step, in this JVM
     * @param workDir the stages' working folders go under it
     */
    public record Settings(String bootstrapServers, Properties clientProperties, ArtifactStore store, DatasetSpec dataset,
            int batchSize, Integer trainLimit, Integer validLimit, int replicas, Path workDir) {
        public Settings {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(dataset, "dataset");
            clientProperties = clientProperties == null ? new Properties() : clientProperties;
            if (replicas < 0) {
                throw new IllegalArgumentException("replicas must not be negative, got " + replicas);
            }
        }
    }

    private final Recipe recipe;
    private final Settings settings;
    private final List<StageService> stages = new ArrayList<>();
    private LineageApp lineage;
    private KafkaProducer<byte[], byte[]> producer;

    private Pipeline(Recipe recipe, Settings settings) {
        this.recipe = recipe;
        this.settings = settings;
    }

    /**
     * Creates the recipe's topics, starts {@code replicas} stage services per step and the lineage
     * app. A stage whose options its technique refuses fails here, before any model is submitted.
     *
     * @param recipe a recipe whose inputs are bound ({@link Recipe#bind})
     */
    public static Pipeline start(Recipe recipe, Settings settings, Duration timeout) throws IOException {
        Pipeline p = new Pipeline(recipe, settings);
        try {
            // a replica beyond the input's partition count would sit idle
            createTopics(settings.bootstrapServers(), settings.clientProperties(), recipe.topics(),
                    Math.max(1, settings.replicas()));
            for (int n = 1; n <= recipe.steps().size(); n++) {
                for (int r = 0; r < settings.replicas(); r++) {
                    StageService s = new StageService(stageConfig(recipe, n, settings, String.valueOf(r)));
                    p.stages.add(s);
                    s.start();
                }
            }
            Map<String, String> props = new HashMap<>();
            settings.clientProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
            props.put("commit.interval.ms", "200");
            props.put("num.stream.threads", "1");
            List<String> topics = recipe.topics().stream().filter(t -> !t.equals(recipe.accepted())
                    && !t.equals(recipe.rejected())).toList();
            p.lineage = LineageApp.start(LineageApp.Config.topics(settings.bootstrapServers(), topics)
                    .sinks(Set.of(recipe.accepted()), Set.of(recipe.rejected()))
                    .applicationId("netpress-lineage-" + recipe.name() + "-" + UUID.randomUUID())
                    .properties(props), timeout);
            return p;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** The configuration of replica {@code instance} of step {@code n}. */
    public static StageConfig stageConfig(Recipe recipe, int n, Settings settings, String instance) {
        RecipeStep step = recipe.step(n);
        StageConfig.Builder b = StageConfig.builder(step.stage(), recipe.name(), n)
                .topics(recipe.topicIn(n), recipe.topicOut(n)).dlqTopic(recipe.dlq(n)).groupId(recipe.groupId(n))
                .options(step.options()).kafka(settings.bootstrapServers(), settings.clientProperties())
                .store(settings.store())
                .data(settings.dataset(), settings.batchSize(), settings.trainLimit(), settings.validLimit())
                .transactionalIdPrefix(recipe.groupId(n)).instanceId(instance);
        if (step.gated()) {
            b.verdictTopics(recipe.accepted(), recipe.rejected());
        }
        if (settings.workDir() != null) {
            b.workDir(settings.workDir().resolve(n + "-" + step.label() + "-" + instance));
        }
        return b.build();
    }

    /**
     * Creates the topics that do not exist yet, {@code partitions} each, replication as the broker defaults.
     * Every topic gets the same count: events are keyed by lineage id, so one model's events then sit in the same
     * partition number of every topic, which keeps them in one task of the lineage app.
     */
    public static void createTopics(String bootstrap, Properties client, Set<String> names, int partitions)
            throws IOException {
        Properties p = new Properties();
        p.putAll(client);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = names.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, Optional.of(partitions), Optional.empty())).toList();
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (ExecutionException e) {
            throw new IOException("cannot create topics on " + bootstrap + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating topics", e);
        }
    }

    /**
     * Puts an artifact into the store and publishes its submitted event on the recipe's source
     * topic; the card's metrics and the file's size become step 0's metrics.
     *
     * @return the submitted event (its lineage id is the Kafka key of every later event)
     */
    public ModelEvent submit(Path artifact) throws IOException {
        if (producer == null) {
            producer = producer(settings.bootstrapServers(), settings.clientProperties());
        }
        return submit(producer, settings.store(), recipe, artifact);
    }

    /** Submits with a producer of the caller's: {@code netpress submit} runs no pipeline. */
    public static ModelEvent submit(KafkaProducer<byte[], byte[]> producer, ArtifactStore store, Recipe recipe,
            Path artifact) throws IOException {
        Instant t0 = Instant.now();
        LoadedArtifact loaded = Artifacts.load(artifact);
        StoredArtifact stored = store.put(artifact, loaded.sha256());
        Map<String, Double> metrics = new HashMap<>(loaded.card().metrics());
        metrics.put(Metric.PARAMS.key(), (double) loaded.graph().parameterCount());
        metrics.put(Metric.MACS.key(), (double) loaded.graph().macs());
        metrics.put(Metric.BYTES.key(), (double) stored.bytes());
        metrics.values().removeIf(v -> !Double.isFinite(v));
        ModelEvent event = ModelEvent.submitted(loaded.card().lineageId(), recipe.name(),
                ArtifactInfo.of(stored, Artifacts.FORMAT), metrics, Timings.between(t0, Instant.now()));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(recipe.source(),
                event.lineageId().getBytes(java.nio.charset.StandardCharsets.UTF_8), EventCodec.encode(event));
        CloudEventHeaders.write(record.headers(), event);
        try {
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IOException("cannot publish to " + recipe.source() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while submitting", e);
        }
        return event;
    }

    /** An idempotent producer for submissions. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap, Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Waits until the lineage reaches the recipe's end (accepted, rejected) or fails, calling
     * {@code progress} whenever a step is added.
     *
     * @return the lineage as it ended, or as it stood when the time ran out
     */
    public Lineage follow(String lineageId, Duration timeout, Consumer<Lineage> progress) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        Lineage last = null;
        while (System.nanoTime() < deadline) {
            Optional<Lineage> now = lineage.lineage(lineageId);
            if (now.isPresent()) {
                last = now.get();
                if (last.steps().size() != seen) {
                    seen = last.steps().size();
                    progress.accept(last);
                }
                if (last.status() != Lineage.Status.RUNNING) {
                    return last;
                }
            }
            Thread.sleep(FOLLOW_POLL.toMillis());
        }
        return last;
    }

    public Recipe recipe() {
        return recipe;
    }

    public List<StageService> stages() {
        return List.copyOf(stages);
    }

    public LineageApp lineageApp() {
        return lineage;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        for (StageService s : stages) {
            s.close();
        }
        if (lineage != null) {
            lineage.close();
        }
    }
}
