package dev.netpress.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.netpress.data.DatasetSpec;
import dev.netpress.runtime.event.ModelEvent;

/** The evaluate stage's gate sends the event to the accepted or the rejected topic instead of its output. */
class VerdictRoutingTest extends StageKitTest {
    @Test
    void theGateRoutesByVerdict() throws Exception {
        kit.kafka.createTopics("gate.in", "gate.out", "gate.accepted", "gate.rejected",
            "strict.in", "strict.out", "strict.accepted", "strict.rejected");
        ModelEvent model = kit.submission(StageTestKit.tiny(10), "gated");
        Map<String, String> timing = Map.of("baseline", "sha256:" + model.artifact().sha256(), "warmup", "1",
            "runs", "5", "rounds", "1");
        Map<String, String> lenient = new java.util.HashMap<>(timing);
        lenient.put("max_accuracy_drop", "1");
        Map<String, String> strict = new java.util.HashMap<>(lenient);
        strict.put("min_speedup", "1000");
        try (StageService pass = new StageService(kit.stage("evaluate", 1, "gate.in", "gate.out").options(lenient)
                 .verdictTopics("gate.accepted", "gate.rejected").data(DatasetSpec.parse("fashion-mnist"), 32, 64, 64)
                 .build());
             StageService fail = new StageService(kit.stage("evaluate", 2, "strict.in", "strict.out").options(strict)
                 .verdictTopics("strict.accepted", "strict.rejected").data(DatasetSpec.parse("fashion-mnist"), 32, 64, 64)
                 .build())) {
            pass.start();
            fail.start();
            kit.send("gate.in", model);
            kit.send("strict.in", model);

            List<ConsumerRecord<byte[], byte[]>> accepted = kit.read("gate.accepted", 1, Duration.ofSeconds(40),
                Duration.ZERO);
            assertEquals(1, accepted.size(), "the same model as its baseline loses no accuracy");
            ModelEvent verdict = StageTestKit.decode(accepted.get(0));
            assertEquals(model.eventId(), verdict.parentEventId());
            assertTrue(verdict.metrics().containsKey("latency_ms_b1"), verdict.metrics().toString());
            assertTrue(verdict.metrics().containsKey("accuracy"));
            assertEquals(1, kit.read("strict.rejected", 1, Duration.ofSeconds(40), Duration.ZERO).size(),
                "no tiny model is 1000 times faster than itself");
            for (String empty : List.of("gate.out", "gate.rejected", "strict.out", "strict.accepted")) {
                assertEquals(0, kit.read(empty, 0, Duration.ofSeconds(5), Duration.ofMillis(500)).size(), empty);
            }
            assertTrue(pass.registry().get("netpress.model.latency.ms.b1").gauge().value() > 0);
            assertEquals(verdict.metrics().get("accuracy"),
                pass.registry().get("netpress.model.accuracy").gauge().value());
        }
    }
}
