package dev.netpress.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.netpress.runtime.event.ModelEvent;

/** A job longer than max.poll.interval.ms, and jobs that fail before they pass (or do not). */
class LongJobAndRetryTest extends StageKitTest {
    @Test
    void aJobLongerThanTheMaxPollIntervalCompletesWithoutARebalance() throws Exception {
        kit.kafka.createTopics("long.in", "long.out");
        Properties client = new Properties();
        client.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "3000");
        StageConfig config = kit.stage("sleep", 1, "long.in", "long.out").options(Map.of("millis", "8000"))
            .kafka(kit.kafka.bootstrapServers(), client).build();
        try (StageService stage = new StageService(config)) {
            stage.start();
            ModelEvent in = kit.submission(StageTestKit.tiny(10), "long");
            kit.send("long.in", in);
            List<ConsumerRecord<byte[], byte[]>> out = kit.read("long.out", 1, Duration.ofSeconds(30),
                Duration.ofSeconds(1));
            assertEquals(1, out.size());
            ModelEvent result = StageTestKit.decode(out.get(0));
            assertEquals(in.eventId(), result.parentEventId());
            assertTrue(result.timings().durationMs() >= 8000, "the job took " + result.timings().durationMs() + " ms");

            assertEquals(1.0, StageTestKit.count(stage, "netpress.stage.rebalances", "event", "assigned"),
                "one assignment: the first");
            assertEquals(0.0, StageTestKit.count(stage, "netpress.stage.rebalances", "event", "revoked"));
            assertEquals(0.0, StageTestKit.count(stage, "netpress.stage.rebalances", "event", "lost"));
            assertEquals(1.0, StageTestKit.count(stage, "netpress.stage.jobs", "outcome", "ok"));
            assertTrue(stage.running());
        }
    }

    @Test
    void aJobThatFailsTwiceIsRetriedWithBackoffAndPublishedOnce() throws Exception {
        kit.kafka.createTopics("flaky.in", "flaky.out", "flaky.in.dlq");
        StageConfig config = kit.stage("sleep", 1, "flaky.in", "flaky.out").options(Map.of("fail_first", "2"))
            .retries(2, Duration.ofMillis(200)).build();
        try (StageService stage = new StageService(config)) {
            stage.start();
            kit.send("flaky.in", kit.submission(StageTestKit.tiny(10), "flaky"));
            List<ConsumerRecord<byte[], byte[]>> out = kit.read("flaky.out", 1, Duration.ofSeconds(20),
                Duration.ofSeconds(1));
            assertEquals(1, out.size());
            ModelEvent result = StageTestKit.decode(out.get(0));
            assertTrue(result.timings().durationMs() >= 200 + 400, "backoff 200 ms, then 400 ms");
            assertEquals(2.0, StageTestKit.count(stage, "netpress.stage.jobs", "outcome", "retried"));
            assertEquals(1.0, StageTestKit.count(stage, "netpress.stage.jobs", "outcome", "ok"));
            assertEquals(0, kit.read("flaky.in.dlq", 0, Duration.ofSeconds(5), Duration.ofSeconds(1)).size());
        }
    }

    @Test
    void aJobThatKeepsFailingGoesToTheDeadLetterTopicAfterItsRetries() throws Exception {
        kit.kafka.createTopics("broken.in", "broken.out", "broken.in.dlq");
        StageConfig config = kit.stage("sleep", 1, "broken.in", "broken.out").options(Map.of("fail_first", "5"))
            .retries(1, Duration.ofMillis(50)).build();
        try (StageService stage = new StageService(config)) {
            stage.start();
            ModelEvent in = kit.submission(StageTestKit.tiny(10), "broken");
            kit.send("broken.in", in);
            List<ConsumerRecord<byte[], byte[]>> dlq = kit.read("broken.in.dlq", 1, Duration.ofSeconds(20),
                Duration.ZERO);
            assertEquals(1, dlq.size());
            ModelEvent failed = StageTestKit.decode(dlq.get(0));
            assertEquals(in.eventId(), failed.eventId());
            assertEquals("JOB_FAILED", failed.error().kind());
            assertEquals(2, failed.error().attempts(), "one attempt and one retry");
            assertTrue(failed.error().reason().contains("simulated failure 2 of 5"), failed.error().reason());
            assertTrue(stage.lastError().contains("simulated failure"), stage.lastError());
            assertEquals(1.0, StageTestKit.count(stage, "netpress.stage.jobs", "outcome", "retried"));
            assertEquals(1.0, StageTestKit.count(stage, "netpress.stage.jobs", "outcome", "dlq"));
            assertEquals(0, kit.read("broken.out", 0, Duration.ofSeconds(5), Duration.ofSeconds(1)).size());
        }
    }
}
