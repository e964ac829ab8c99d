package dev.netpress.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.netpress.artifact.ArtifactRef;
import dev.netpress.runtime.event.ArtifactInfo;
import dev.netpress.runtime.event.CloudEventHeaders;
import dev.netpress.runtime.event.EventCodec;
import dev.netpress.runtime.event.EventError;
import dev.netpress.runtime.event.ModelEvent;
import dev.netpress.runtime.store.ArtifactStore;
import dev.netpress.runtime.store.StoredArtifact;

/**
 * Poison events on a distill stage (a technique that resolves a teacher from the store and trains): each lands
 * on {@code <input>.dlq} with its reason, and the good event after them is distilled and published.
 */
class PoisonEventTest extends StageKitTest {
    @Test
    void poisonGoesToTheDeadLetterTopicWithItsReasonAndTheNextGoodEventIsProcessed() throws Exception {
        kit.kafka.createTopics("poison.in", "poison.out", "poison.in.dlq");
        ArtifactRef teacherFile = kit.save(StageTestKit.tiny(10), "teacher");
        StoredArtifact teacher = kit.store.put(teacherFile.path(), teacherFile.sha256());
        ModelEvent good = kit.submission(StageTestKit.tiny(10), "good");

        String missingSha = "0".repeat(64);
        ModelEvent missing = withArtifact(kit.submission(StageTestKit.tiny(10), "missing"), new ArtifactInfo(
            kit.store.root() + ArtifactStore.keyOf(missingSha), missingSha, 1234, good.artifact().format()));
        ModelEvent wrongSha = withArtifact(kit.submission(StageTestKit.tiny(10), "wrong-sha"), new ArtifactInfo(
            good.artifact().uri(), teacher.sha256(), good.artifact().bytes(), good.artifact().format()));
        ModelEvent corrupt = kit.submission(StageTestKit.tiny(10), "corrupt");
        Path truncated = kit.dir.resolve("truncated.safetensors");
        byte[] whole = Files.readAllBytes(Path.of(java.net.URI.create(corrupt.artifact().uri())));
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
        StoredArtifact half = kit.store.put(truncated, sha256(truncated));
        corrupt = withArtifact(corrupt, ArtifactInfo.of(half, corrupt.artifact().format()));
        ModelEvent otherClasses = kit.submission(StageTestKit.tiny(5), "five-classes");
        byte[] futureSchema = new String(EventCodec.encode(kit.submission(StageTestKit.tiny(10), "future")),
            StandardCharsets.UTF_8).replace("netpress.model-event/1", "netpress.model-event/2").getBytes(StandardCharsets.UTF_8);

        StageConfig config = kit.stage("distill", 1, "poison.in", "poison.out")
            .options(Map.of("teacher", "sha256:" + teacher.sha256(), "epochs", "1"))
            .data(dev.netpress.data.DatasetSpec.parse("fashion-mnist"), 32, 64, 64).build();
        try (StageService distill = new StageService(config)) {
            distill.start();
            kit.sendRaw("poison.in", "garbage", "{not json".getBytes(StandardCharsets.UTF_8));
            kit.sendRaw("poison.in", "future", futureSchema);
            kit.send("poison.in", missing);
            kit.send("poison.in", wrongSha);
            kit.send("poison.in", corrupt);
            kit.send("poison.in", otherClasses);
            kit.send("poison.in", good);

            List<ConsumerRecord<byte[], byte[]>> out = kit.read("poison.out", 1, Duration.ofSeconds(45),
                Duration.ofSeconds(1));
            assertEquals(1, out.size(), "the good event is processed");
            ModelEvent distilled = StageTestKit.decode(out.get(0));
            assertEquals("good", distilled.lineageId());
            assertEquals(good.eventId(), distilled.parentEventId());
            assertTrue(distilled.metrics().containsKey("accuracy"), "distill measured the student");
            kit.fetch(distilled.artifact());

            List<ConsumerRecord<byte[], byte[]>> dlq = kit.read("poison.in.dlq", 6, Duration.ofSeconds(10),
                Duration.ZERO);
            assertEquals(6, dlq.size());

            // records that are not events go on as they came, the reason in headers
            assertEquals("{not json", new String(dlq.get(0).value(), StandardCharsets.UTF_8));
            assertEquals("BAD_EVENT:MALFORMED_JSON", StageTestKit.header(dlq.get(0), StageService.ERROR_KIND_HEADER));
            assertTrue(StageTestKit.header(dlq.get(0), StageService.ERROR_HEADER).startsWith("not JSON"));
            assertEquals("poison.in-0@0", StageTestKit.header(dlq.get(0), StageService.SOURCE_HEADER));
            assertEquals("BAD_EVENT:UNSUPPORTED_SCHEMA", StageTestKit.header(dlq.get(1), StageService.ERROR_KIND_HEADER));
            assertTrue(StageTestKit.header(dlq.get(1), StageService.ERROR_HEADER).contains("netpress.model-event/2"));
            assertEquals("future", new String(dlq.get(1).key(), StandardCharsets.UTF_8));

            // events go on with their error set, and are still events
            assertError(dlq.get(2), missing, "ARTIFACT_NOT_FOUND", "no artifact at");
            assertError(dlq.get(3), wrongSha, "CHECKSUM_MISMATCH", "but " + teacher.sha256() + " was expected");
            assertError(dlq.get(4), corrupt, "CORRUPT_ARTIFACT", "artifact corrupt: " + corrupt.artifact().uri()
                + ": damaged or truncated");
            assertError(dlq.get(5), otherClasses, "REFUSED_BY_TECHNIQUE", "they must predict the same classes");
            assertEquals("CHECKSUM_MISMATCH", StageTestKit.header(dlq.get(3), StageService.ERROR_KIND_HEADER));
            assertEquals(CloudEventHeaders.FAILED_TYPE, StageTestKit.header(dlq.get(3), CloudEventHeaders.TYPE));

            assertEquals(1.0, StageTestKit.count(distill, "netpress.stage.jobs", "outcome", "ok"));
            assertEquals(6.0, StageTestKit.count(distill, "netpress.stage.jobs", "outcome", "dlq"));
            assertEquals(0.0, StageTestKit.count(distill, "netpress.stage.jobs", "outcome", "retried"),
                "none of these would pass on retry");
            assertTrue(distill.running(), "the stage keeps consuming");
        }
    }

    @Test
    void trainingThatDivergesIsDeadLetteredAsSuchWithoutRetries() throws Exception {
        kit.kafka.createTopics("diverge.in", "diverge.out", "diverge.in.dlq");
        ArtifactRef teacherFile = kit.save(StageTestKit.tiny(10), "teacher");
        StoredArtifact teacher = kit.store.put(teacherFile.path(), teacherFile.sha256());
        StageConfig config = kit.stage("distill", 1, "diverge.in", "diverge.out")
            .options(Map.of("teacher", "sha256:" + teacher.sha256(), "epochs", "1", "lr", "1e30"))
            .data(dev.netpress.data.DatasetSpec.parse("fashion-mnist"), 32, 64, 64).build();
        try (StageService distill = new StageService(config)) {
            distill.start();
            ModelEvent in = kit.submission(StageTestKit.tiny(10), "diverging");
            kit.send("diverge.in", in);
            List<ConsumerRecord<byte[], byte[]>> dlq = kit.read("diverge.in.dlq", 1, Duration.ofSeconds(45),
                Duration.ZERO);
            assertEquals(1, dlq.size());
            ModelEvent failed = StageTestKit.decode(dlq.get(0));
            assertEquals("TRAINING_DIVERGED", failed.error().kind(), failed.error().reason());
            assertEquals(1, failed.error().attempts(), "the same seed would diverge again");
            assertTrue(failed.error().reason().contains("lower the learning rate"), failed.error().reason());
        }
    }

    private static void assertError(ConsumerRecord<byte[], byte[]> record, ModelEvent input, String kind,
                                    String reasonPart) throws Exception {
        ModelEvent failed = StageTestKit.decode(record);
        assertEquals(input.eventId(), failed.eventId(), "the input event, unchanged");
        assertEquals(input.artifact(), failed.artifact());
        EventError error = failed.error();
        assertNotNull(error, "error set");
        assertEquals(kind, error.kind());
        assertEquals("distill", error.stage());
        assertEquals(1, error.attempts(), "not retried: " + error.reason());
        assertTrue(error.reason().contains(reasonPart), error.reason());
    }

    private static ModelEvent withArtifact(ModelEvent e, ArtifactInfo artifact) {
        return new ModelEvent(e.schema(), e.eventId(), e.lineageId(), e.parentEventId(), e.recipe(), e.step(),
            e.stage(), artifact, e.options(), e.metrics(), e.timings(), e.error(), e.history());
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
            .digest(Files.readAllBytes(file)));
    }
}
