package dev.netpress.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.netpress.runtime.event.ModelEvent;

/** Replicas of one stage in one consumer group: one dies mid-job, one is a zombie, one shuts down cleanly. */
class ReplicaFailoverTest extends StageKitTest {
    private static final Duration JOB = Duration.ofSeconds(4);
    private static StageConfig replica(String in, String out, String instance) {
        return kit.stage("sleep", 1, in, out).options(Map.of("millis", String.valueOf(JOB.toMillis())))
            .instanceId(instance).build();
    }

    @Test
    void aReplicaKilledMidJobHasItsJobRedoneByAnotherAndOneEventComesOut() throws Exception {
        kit.kafka.createTopics("kill.in", "kill.out");
        try (StageService a = new StageService(replica("kill.in", "kill.out", "a"));
             StageService b = new StageService(replica("kill.in", "kill.out", "b"))) {
            a.start();
            b.start();
            ModelEvent in = kit.submission(StageTestKit.tiny(10), "kill");
            kit.send("kill.in", in);
            StageTestKit.await("a replica to take the job", Duration.ofSeconds(30),
                () -> a.inFlight() + b.inFlight() == 1);
            StageService busy = a.inFlight() == 1 ? a : b;
            StageService other = busy == a ? b : a;
            Thread.sleep(1000);
            busy.close(Duration.ZERO);
            assertEquals(StageService.State.STOPPED, busy.state());

            List<ConsumerRecord<byte[], byte[]>> out = kit.read("kill.out", 1, Duration.ofSeconds(30),
                Duration.ofSeconds(3));
            assertEquals(1, out.size(), "exactly one committed output for the input");
            ModelEvent result = StageTestKit.decode(out.get(0));
            assertEquals(in.eventId(), result.parentEventId());
            assertEquals(0.0, StageTestKit.count(busy, "netpress.stage.jobs", "outcome", "ok"), "the killed one");
            assertEquals(1.0, StageTestKit.count(other, "netpress.stage.jobs", "outcome", "ok"), "the survivor");
            assertTrue(result.timings().durationMs() >= JOB.toMillis(), "redone in full");
        }
    }

    @Test
    void aRestartedReplicaFencesItsZombieAndTheJobIsCommittedOnce() throws Exception {
        kit.kafka.createTopics("zombie.in", "zombie.out");
        try (StageService zombie = new StageService(replica("zombie.in", "zombie.out", "0"))) {
            zombie.start();
            ModelEvent in = kit.submission(StageTestKit.tiny(10), "zombie");
            kit.send("zombie.in", in);
            StageTestKit.await("the job to start", Duration.ofSeconds(30), () -> zombie.inFlight() == 1);
            // the same replica, restarted while the old process still runs (a paused VM, a partition)
            try (StageService restarted = new StageService(replica("zombie.in", "zombie.out", "0"))) {
                restarted.start();
                StageTestKit.await("the zombie to fail its commit", Duration.ofSeconds(30),
                    () -> zombie.state() == StageService.State.FAILED);
                assertTrue(zombie.lastError().toLowerCase().contains("fenc"), zombie.lastError());

                List<ConsumerRecord<byte[], byte[]>> out = kit.read("zombie.out", 1, Duration.ofSeconds(30),
                    Duration.ofSeconds(3));
                assertEquals(1, out.size(), "the zombie's output was never committed");
                assertEquals(in.eventId(), StageTestKit.decode(out.get(0)).parentEventId());
                assertEquals(1.0, StageTestKit.count(restarted, "netpress.stage.jobs", "outcome", "ok"));
            }
        }
    }

    @Test
    void aGracefulCloseLetsTheRunningJobFinishAndCommit() throws Exception {
        kit.kafka.createTopics("graceful.in", "graceful.out");
        StageService stage = new StageService(replica("graceful.in", "graceful.out", "g"));
        stage.start();
        ModelEvent in = kit.submission(StageTestKit.tiny(10), "graceful");
        kit.send("graceful.in", in);
        StageTestKit.await("the job to start", Duration.ofSeconds(30), () -> stage.inFlight() == 1);
        stage.close(Duration.ofSeconds(20));
        assertEquals(StageService.State.STOPPED, stage.state());
        assertEquals(1.0, StageTestKit.count(stage, "netpress.stage.jobs", "outcome", "ok"));
        List<ConsumerRecord<byte[], byte[]>> out = kit.read("graceful.out", 1, Duration.ofSeconds(5), Duration.ZERO);
        assertEquals(1, out.size(), "committed before close returned");
        assertEquals(in.eventId(), StageTestKit.decode(out.get(0)).parentEventId());
    }
}
