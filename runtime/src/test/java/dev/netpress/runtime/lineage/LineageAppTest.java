package dev.netpress.runtime.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.netpress.runtime.broker.EmbeddedKafka;
import dev.netpress.runtime.event.CloudEventHeaders;
import dev.netpress.runtime.event.EventCodec;
import dev.netpress.runtime.event.EventError;
import dev.netpress.runtime.event.ModelEvent;

/** The lineage app on a real broker, fed the way stages feed it: transactional producers, CloudEvents headers. */
class LineageAppTest {
    private static final String IN = "netpress.seed.in";
    private static final List<String> STEP_TOPICS = List.of("netpress.seed.1", "netpress.seed.2", "netpress.seed.3");
    private static final String ACCEPTED = "netpress.seed.accepted";
    private static final String REJECTED = "netpress.seed.rejected";
    private static final String IN_DLQ = IN + ".dlq";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Light settings for two cores: one thread, quick commits. */
    private static final Map<String, String> LIGHT = Map.of("num.stream.threads", "1", "commit.interval.ms", "100");

    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, byte[]> producer;
    private static LineageApp app;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(IN, STEP_TOPICS.get(0), STEP_TOPICS.get(1), STEP_TOPICS.get(2), ACCEPTED, REJECTED, IN_DLQ);
        producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lineage-test-stage",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        producer.initTransactions();
        app = LineageApp.start(LineageApp.Config.pattern(kafka.bootstrapServers(), Pattern.compile("netpress\\..*"))
            .sinks(Set.of(ACCEPTED), Set.of(REJECTED)).properties(LIGHT), WAIT);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void foldsEveryStageEventIntoItsLineageOnceAndSkipsWhatIsNotAnEvent() throws Exception {
        List<ModelEvent> a = Fixtures.fourSteps("model-a");
        ModelEvent b = Fixtures.fourSteps("model-b").get(0);
        // a stage transaction that aborts: read_committed never shows its event
        producer.beginTransaction();
        producer.send(record(STEP_TOPICS.get(2), a.get(3).next("quantize", 4, Fixtures.artifact(9, 1), Map.of(),
            Map.of(), Fixtures.took(200, 1))));
        producer.flush();
        producer.abortTransaction();

        publish(IN, a.get(0));
        publish(IN, b);
        for (int i = 1; i <= 3; i++) {
            publish(STEP_TOPICS.get(i - 1), a.get(i));
        }
        publish(STEP_TOPICS.get(1), a.get(2));
        // after the redelivered event on the same partition: once this is skipped, the duplicate was folded
        publishRaw(STEP_TOPICS.get(1), "model-a", "{\"schema\": \"netpress.model-event/1\", \"eventId\":".getBytes(
            StandardCharsets.UTF_8));

        awaitTrue(() -> app.skipped() == 1, "the malformed record is skipped");
        Lineage lineageA = await("model-a", l -> l.steps().size() >= 4);
        assertEquals(List.of("submit", "distill", "prune", "evaluate"),
            lineageA.steps().stream().map(Lineage.Step::stage).toList());
        assertEquals(a.stream().map(ModelEvent::eventId).toList(),
            lineageA.steps().stream().map(Lineage.Step::eventId).toList(), "the redelivered event counted once");
        assertEquals(a.get(2).metrics(), lineageA.steps().get(2).metrics());
        assertEquals(a.get(1).artifact(), lineageA.steps().get(1).artifact());
        assertEquals(Map.of("temperature", "4"), lineageA.steps().get(1).options());
        assertEquals(a.get(3).timings(), lineageA.steps().get(3).timings());
        assertEquals(STEP_TOPICS.get(2), lineageA.steps().get(3).topic());
        assertEquals(Lineage.Status.RUNNING, lineageA.status(), "step 3 is not on a sink");

        Lineage lineageB = await("model-b", l -> true);
        assertEquals(1, lineageB.steps().size());
        assertEquals(b.metrics(), lineageB.steps().get(0).metrics());

        assertTrue(app.lineageIds().containsAll(List.of("model-a", "model-b")), app.lineageIds().toString());
        assertEquals(1, app.skipped());
        assertEquals(KafkaStreams.State.RUNNING, app.state());
        assertTrue(app.lineage("model-never-seen").isEmpty());
    }

    @Test
    void theSinksAndTheDeadLetterTopicsSetTheStatus() throws Exception {
        List<ModelEvent> c = Fixtures.fourSteps("model-c");
        List<ModelEvent> d = Fixtures.fourSteps("model-d");
        ModelEvent e = Fixtures.fourSteps("model-e").get(0);
        publish(IN, c.get(0));
        publish(ACCEPTED, c.get(1));
        publish(IN, d.get(0));
        publish(REJECTED, d.get(1));
        EventError error = new EventError("the artifact is missing from the store", "MISSING_ARTIFACT", "distill", 3);
        publish(IN, e);
        publish(IN_DLQ, e.withError(error));

        assertEquals(Lineage.Status.ACCEPTED, await("model-c", l -> l.steps().size() == 2).status());
        assertEquals(Lineage.Status.REJECTED, await("model-d", l -> l.steps().size() == 2).status());
        Lineage failed = await("model-e", l -> l.status() == Lineage.Status.FAILED);
        assertEquals(1, failed.steps().size(), "the dead-letter copy is the same event, now with its error");
        assertEquals(error, failed.failure().orElseThrow());
        assertTrue(Recap.of(failed).text().contains(
            "step 0 (submit): distill gave up after 3 attempts: MISSING_ARTIFACT: the artifact is missing"));
    }

    @Test
    void anInstanceGivenItsTopicsByNameReadsThemAndItsSinksAndDeletesItsStateOnClose() throws Exception {
        List<ModelEvent> f = Fixtures.fourSteps("model-f");
        publish(IN, f.get(0));
        publish(STEP_TOPICS.get(0), f.get(1));
        publish(ACCEPTED, f.get(2));

        LineageApp.Config listed = LineageApp.Config.topics(kafka.bootstrapServers(), List.of(IN, STEP_TOPICS.get(0)))
            .sinks(Set.of(ACCEPTED), Set.of(REJECTED)).applicationId("netpress-lineage-listed").properties(LIGHT);
        Path stateDir;
        try (LineageApp other = LineageApp.start(listed, WAIT)) {
            stateDir = other.stateDirectory();
            Lineage lineage = awaitIn(other, "model-f", l -> l.steps().size() == 3);
            assertEquals(Lineage.Status.ACCEPTED, lineage.status());
            assertEquals(ACCEPTED, lineage.steps().get(2).topic());
            assertTrue(Files.isDirectory(stateDir));
        }
        assertFalse(Files.exists(stateDir), "close() deletes the state directory");
    }

    private static void publish(String topic, ModelEvent event) {
        producer.beginTransaction();
        producer.send(record(topic, event));
        producer.commitTransaction();
    }

    private static void publishRaw(String topic, String key, byte[] value) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, key, value));
        producer.commitTransaction();
    }

    private static ProducerRecord<String, byte[]> record(String topic, ModelEvent event) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, event.lineageId(), EventCodec.encode(event));
        CloudEventHeaders.write(r.headers(), event);
        return r;
    }

    private static Lineage await(String lineageId, Predicate<Lineage> done) throws InterruptedException {
        return awaitIn(app, lineageId, done);
    }

    private static Lineage awaitIn(LineageApp in, String lineageId, Predicate<Lineage> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var lineage = in.lineage(lineageId);
            if (lineage.isPresent() && done.test(lineage.get())) {
                return lineage.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("lineage " + lineageId + " not as expected after " + WAIT + ": "
            + in.lineage(lineageId));
    }

    private static void awaitTrue(BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not after " + WAIT);
            }
            Thread.sleep(50);
        }
    }
}
