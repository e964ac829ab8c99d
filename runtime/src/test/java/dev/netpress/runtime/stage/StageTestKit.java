package dev.netpress.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.ArtifactRef;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.artifact.ModelCard;
import dev.netpress.graph.Graph;
import dev.netpress.runtime.broker.EmbeddedKafka;
import dev.netpress.runtime.event.ArtifactInfo;
import dev.netpress.runtime.event.CloudEventHeaders;
import dev.netpress.runtime.event.EventCodec;
import dev.netpress.runtime.event.ModelEvent;
import dev.netpress.runtime.event.Timings;
import dev.netpress.runtime.store.FileStore;
import dev.netpress.runtime.store.StoredArtifact;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;

/** A real broker, a real file store, tiny real models, and ways to submit events and read what comes out. */
final class StageTestKit implements AutoCloseable {
    static final String RECIPE = "test";
    static final ZooConfig TINY = ZooConfig.fashionMnist().toBuilder().optWidth(0.125).optClassifierHidden(32).build();

    final EmbeddedKafka kafka;
    final Path dir;
    final FileStore store;
    private final KafkaProducer<byte[], byte[]> producer;

    StageTestKit() throws IOException {
        this(Map.of());
    }

    StageTestKit(Map<String, String> brokerOverrides) throws IOException {
        kafka = EmbeddedKafka.start(brokerOverrides);
        dir = Files.createTempDirectory("netpress-stage-test-");
        store = new FileStore(dir.resolve("store"));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A stage of the test recipe on this broker and store, retrying fast. */
    StageConfig.Builder stage(String technique, int step, String in, String out) {
        return StageConfig.builder(technique, RECIPE, step).topics(in, out).kafka(kafka.bootstrapServers(), null)
            .store(store).retries(2, Duration.ofMillis(100)).shutdownTimeout(Duration.ofSeconds(10));
    }

    static Graph tiny(int classes) {
        return Zoo.build("vgg11_bn", TINY.toBuilder().optNumClasses(classes).build());
    }

    /** Saves a model as an artifact file (not in the store). */
    ArtifactRef save(Graph graph, String lineage) throws IOException {
        ModelCard card = ModelCard.of("vgg11_bn", lineage, "zoo:vgg11_bn");
        return Artifacts.save(new Artifact(graph, card), Files.createTempFile(dir, "model-", ".safetensors"));
    }

    /** Stores a model and returns the submission event for it. */
    ModelEvent submission(Graph graph, String lineage) throws IOException {
        ArtifactRef ref = save(graph, lineage);
        StoredArtifact stored = store.put(ref.path(), ref.sha256());
        return ModelEvent.submitted(lineage, RECIPE, ArtifactInfo.of(stored, Artifacts.FORMAT), Map.of(),
            Timings.between(Instant.now(), Instant.now()));
    }

    void send(String topic, ModelEvent event) throws Exception {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null,
            event.lineageId().getBytes(StandardCharsets.UTF_8), EventCodec.encode(event));
        CloudEventHeaders.write(r.headers(), event);
        producer.send(r).get(30, TimeUnit.SECONDS);
    }

    void sendRaw(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
    }

    /**
     * Reads a topic from the start with {@code read_committed} until {@code count} records have come, then for
     * {@code settle} longer to catch any more.
     */
    List<ConsumerRecord<byte[], byte[]>> read(String topic, int count, Duration timeout, Duration settle) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            long settled = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settled)) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= count && settled == Long.MAX_VALUE) {
                    settled = System.nanoTime() + settle.toNanos();
                }
            }
        }
        return out;
    }

    static ModelEvent decode(ConsumerRecord<byte[], byte[]> r) throws Exception {
        return EventCodec.decode(r.value());
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Downloads an event's artifact from the store and loads it, both checking its SHA-256. */
    LoadedArtifact fetch(ArtifactInfo artifact) throws IOException {
        Path file = store.get(artifact.uri(), artifact.sha256(), dir.resolve("fetched-" + UUID.randomUUID()));
        LoadedArtifact loaded = Artifacts.load(file, artifact.sha256());
        assertEquals(artifact.bytes(), loaded.ref().bytes(), "bytes in the event");
        return loaded;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static double count(StageService s, String name, String tag, String value) {
        return s.registry().get(name).tag(tag, value).counter().count();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        store.close();
        kafka.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not a test failure
        }
    }
}
