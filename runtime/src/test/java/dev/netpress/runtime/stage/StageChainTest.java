package dev.netpress.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.graph.Op;
import dev.netpress.runtime.event.CloudEventHeaders;
import dev.netpress.runtime.event.ModelEvent;
import dev.netpress.runtime.event.StepRecord;

/** Three real stages in one JVM: prune → fold → quantize, on a real broker and a file store. */
class StageChainTest extends StageKitTest {
    @Test
    void oneEventThroughThreeStagesComesOutOnceWithItsWholeHistory() throws Exception {
        kit.kafka.createTopics("chain.in", "chain.1", "chain.2", "chain.out");
        ModelEvent submitted = kit.submission(StageTestKit.tiny(10), "chain-model");
        try (StageService prune = new StageService(kit.stage("prune", 1, "chain.in", "chain.1")
                .options(Map.of("mode", "structured", "ratio", "0.25")).build());
             StageService fold = new StageService(kit.stage("fold", 2, "chain.1", "chain.2").build());
             StageService quantize = new StageService(kit.stage("quantize", 3, "chain.2", "chain.out").build())) {
            prune.start();
            fold.start();
            quantize.start();
            kit.send("chain.in", submitted);

            List<ConsumerRecord<byte[], byte[]>> out = kit.read("chain.out", 1, Duration.ofSeconds(40),
                Duration.ofSeconds(2));
            assertEquals(1, out.size(), "exactly one committed event at the end");
            ModelEvent last = StageTestKit.decode(out.get(0));
            assertEquals("chain-model", new String(out.get(0).key()), "keyed by lineage");
            assertEquals("dev.netpress.model.quantize", StageTestKit.header(out.get(0), CloudEventHeaders.TYPE));
            assertEquals(3, last.step());
            assertEquals("quantize", last.stage());
            assertNull(last.error());
            List<StepRecord> history = last.history();
            assertEquals(List.of("submit", "prune", "fold"), history.stream().map(StepRecord::stage).toList());
            assertEquals(submitted.eventId(), history.get(0).eventId());
            assertEquals(history.get(2).eventId(), last.parentEventId());
            assertEquals(Map.of("mode", "structured", "ratio", "0.25"), history.get(1).options());

            // every artifact of the lineage is in the store, with the SHA-256 its event says
            LoadedArtifact pruned = kit.fetch(history.get(1).artifact());
            LoadedArtifact folded = kit.fetch(history.get(2).artifact());
            LoadedArtifact quantized = kit.fetch(last.artifact());
            kit.fetch(history.get(0).artifact());
            double submittedParams = StageTestKit.tiny(10).parameterCount();
            assertTrue(history.get(1).metrics().get("params") < submittedParams, "prune removed parameters");
            assertEquals((double) pruned.graph().parameterCount(), history.get(1).metrics().get("params"));
            assertTrue(pruned.graph().nodes().stream().anyMatch(n -> n.op() == Op.BATCHNORM));
            assertTrue(folded.graph().nodes().stream().noneMatch(n -> n.op() == Op.BATCHNORM), "fold removed BN");
            assertEquals(history.get(1).artifact().sha256(), folded.card().parentSha256());
            assertEquals("quantize", quantized.card().createdBy());
            assertEquals((double) last.artifact().bytes(), last.metrics().get("bytes"));
            assertTrue(last.artifact().bytes() < history.get(2).artifact().bytes(), "int8 weights are smaller");

            for (StageService s : List.of(prune, fold, quantize)) {
                assertEquals(1.0, StageTestKit.count(s, "netpress.stage.jobs", "outcome", "ok"));
                assertEquals(0.0, StageTestKit.count(s, "netpress.stage.jobs", "outcome", "dlq"));
                assertNull(s.lastError());
            }
        }
    }

    @Test
    void metricsAndHealthAnswerOverHttp() throws Exception {
        kit.kafka.createTopics("http.in", "http.out");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        HttpClient client = HttpClient.newHttpClient();
        StageService fold = new StageService(kit.stage("fold", 1, "http.in", "http.out").build(), registry);
        try (StageHttp http = new StageHttp(0, fold, registry)) {
            assertNotEquals(0, http.port());
            HttpResponse<String> before = get(client, http, "/health");
            assertEquals(503, before.statusCode(), "not started yet");
            fold.start();
            kit.send("http.in", kit.submission(StageTestKit.tiny(10), "http-model"));
            assertEquals(1, kit.read("http.out", 1, Duration.ofSeconds(30), Duration.ZERO).size());

            HttpResponse<String> health = get(client, http, "/health");
            assertEquals(200, health.statusCode());
            JsonNode h = new ObjectMapper().readTree(health.body());
            assertEquals("UP", h.get("status").asText());
            assertEquals("fold", h.get("stage").asText());
            assertEquals(0, h.get("inFlight").asInt());
            assertTrue(h.get("lastError").isNull());

            HttpResponse<String> metrics = get(client, http, "/metrics");
            assertEquals(200, metrics.statusCode());
            String text = metrics.body();
            assertTrue(text.contains("netpress_stage_jobs_total{outcome=\"ok\",recipe=\"test\",stage=\"fold\"} 1.0"), text);
            assertTrue(text.contains("netpress_stage_jobs_total{outcome=\"dlq\",recipe=\"test\",stage=\"fold\"} 0.0"));
            assertTrue(text.contains("netpress_stage_job_duration_seconds_count{outcome=\"ok\",recipe=\"test\",stage=\"fold\"} 1"));
            assertTrue(text.contains("netpress_stage_job_duration_seconds_bucket{outcome=\"ok\",recipe=\"test\",stage=\"fold\",le=\"+Inf\"} 1"),
                "quantiles need the histogram buckets");
            assertTrue(text.contains("netpress_stage_jobs_in_flight{recipe=\"test\",stage=\"fold\"} 0.0"));
            assertTrue(text.contains("netpress_model_params{recipe=\"test\",stage=\"fold\"}"));
            assertTrue(text.contains("netpress_model_macs{recipe=\"test\",stage=\"fold\"}"));
            assertTrue(text.contains("netpress_model_sparsity{recipe=\"test\",stage=\"fold\"}"));
            assertTrue(text.contains("netpress_stage_read_bytes_total{recipe=\"test\",stage=\"fold\"}"));
            assertTrue(text.contains("netpress_stage_written_bytes_total{recipe=\"test\",stage=\"fold\"}"));
            assertTrue(text.contains("netpress_stage_phase_seconds_count{phase=\"technique\",recipe=\"test\",stage=\"fold\"} 1"));
            assertTrue(text.contains("kafka_consumer_"), "the consumer's client metrics are bound");
            assertTrue(text.contains("kafka_producer_"), "the producer's client metrics are bound");

            fold.close();
            assertEquals(503, get(client, http, "/health").statusCode(), "stopped");
            assertEquals(StageService.State.STOPPED, fold.state());
        } finally {
            fold.close();
        }
    }

    private static HttpResponse<String> get(HttpClient client, StageHttp http, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }
}
