package dev.netpress.runtime.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.netpress.runtime.event.EventError;
import dev.netpress.runtime.event.ModelEvent;

class RecapTest {
    private static final double EPS = 1e-9;

    private static Lineage accepted() {
        Lineage lineage = Lineage.empty();
        for (ModelEvent e : Fixtures.fourSteps("model-1")) {
            lineage = lineage.add(e, "t" + e.step(), e.step() == 3 ? Lineage.Status.ACCEPTED : Lineage.Status.RUNNING);
        }
        return lineage;
    }

    @Test
    void totalsCompareTheFinalModelWithTheSubmittedOne() {
        Recap.Totals t = Recap.of(accepted()).totals();
        assertEquals(1_000_000.0 / 250_000, t.compression(), EPS);
        assertEquals(200e6 / 40e6, t.macsRatio(), EPS);
        assertEquals(4_000_000.0 / 1_250_000, t.bytesRatio(), EPS);
        assertEquals(2.0 / 0.8, t.speedup(), EPS);
        assertEquals(88.35 - 88.60, t.accuracyChangePoints(), 1e-6);
        assertEquals(1_500 + 60_000 + 20_000 + 5_000, t.wallMs());
    }

    @Test
    void speedUpPrefersTheBaselineTimedBesideTheModelByEvaluate() {
        List<ModelEvent> events = Fixtures.fourSteps("model-3");
        ModelEvent last = events.get(3);
        java.util.Map<String, Double> m = new java.util.HashMap<>(last.metrics());
        m.put("baseline_latency_ms_b1", 3.0);
        Lineage lineage = Lineage.empty();
        for (ModelEvent e : events.subList(0, 3)) {
            lineage = lineage.add(e, "t" + e.step(), Lineage.Status.RUNNING);
        }
        lineage = lineage.add(new ModelEvent(last.schema(), last.eventId(), last.lineageId(), last.parentEventId(),
            last.recipe(), last.step(), last.stage(), last.artifact(), last.options(), m, last.timings(), null,
            last.history()), "t3", Lineage.Status.ACCEPTED);
        // 3.0 ms measured in the same run as the model's 0.8 ms, not the 2.0 ms the submitted model's card carries
        assertEquals(3.0 / 0.8, Recap.of(lineage).totals().speedup(), EPS);
    }

    @Test
    void textIsAFixedWidthTableWithDashesForWhatAStepDidNotMeasure() {
        String expected = String.join("\n",
            "lineage model-1  recipe seed  status accepted",
            "step  stage            params             MACs          bytes  latency ms  accuracy    wall s",
            "   0  submit        1,000,000      200,000,000      4,000,000       2.000    88.60%       1.5",
            "   1  distill         400,000       80,000,000      1,600,000           -    88.40%      60.0",
            "   2  prune           250,000       40,000,000      1,250,000           -    88.00%      20.0",
            "   3  evaluate        250,000       40,000,000      1,250,000       0.800    88.35%       5.0",
            "vs submitted: params 4.00x  MACs 5.00x  bytes 3.20x  latency 2.50x  accuracy -0.25 pt  wall 86.5 s",
            "");
        assertEquals(expected, Recap.of(accepted()).text());
    }

    @Test
    void jsonHasEveryRowInTheSameShapeWithNullsForMissingFigures() throws Exception {
        JsonNode json = new ObjectMapper().readTree(Recap.of(accepted()).toJson());
        assertEquals("model-1", json.get("lineageId").asText());
        assertEquals("ACCEPTED", json.get("status").asText());
        JsonNode rows = json.get("rows");
        assertEquals(4, rows.size());
        assertEquals("distill", rows.get(1).get("stage").asText());
        assertEquals(400_000, rows.get(1).get("params").asLong());
        assertTrue(rows.get(1).get("latencyMs").isNull(), "distill does not measure latency");
        assertEquals(0.884, rows.get(1).get("accuracy").asDouble(), EPS);
        assertEquals(60_000, rows.get(1).get("wallMs").asLong());
        assertTrue(rows.get(1).get("error").isNull());
        assertEquals(0.8, rows.get(3).get("latencyMs").asDouble(), EPS);
        JsonNode totals = json.get("totals");
        assertEquals(4.0, totals.get("compression").asDouble(), EPS);
        assertEquals(5.0, totals.get("macsRatio").asDouble(), EPS);
        assertEquals(3.2, totals.get("bytesRatio").asDouble(), EPS);
        assertEquals(2.5, totals.get("speedup").asDouble(), EPS);
        assertEquals(-0.25, totals.get("accuracyChangePoints").asDouble(), 1e-6);
        assertEquals(86_500, totals.get("wallMs").asLong());
    }

    @Test
    void aFailedLineageShowsWhoGaveUpAndLeavesWhatTheLastModelLacksEmpty() throws Exception {
        List<ModelEvent> events = Fixtures.fourSteps("model-2");
        EventError error = new EventError("sha256 of the artifact is 00ff, the event says 0003", "CHECKSUM_MISMATCH",
            "evaluate", 3);
        Lineage lineage = Lineage.empty()
            .add(events.get(2), "t2", Lineage.Status.RUNNING)
            .add(events.get(2).withError(error), "t2.dlq", Lineage.Status.FAILED);
        Recap recap = Recap.of(lineage);

        assertEquals(Lineage.Status.FAILED, recap.status());
        assertNull(recap.totals().speedup(), "prune did not measure latency");
        assertEquals(4.0, recap.totals().compression(), EPS);
        String text = recap.text();
        assertTrue(text.startsWith("lineage model-2  recipe seed  status failed\n"), text);
        assertTrue(text.contains("latency -  accuracy -0.60 pt  wall 81.5 s\n"), text);
        assertTrue(text.endsWith("step 2 (prune): evaluate gave up after 3 attempts: CHECKSUM_MISMATCH: "
            + "sha256 of the artifact is 00ff, the event says 0003\n"), text);

        JsonNode json = new ObjectMapper().readTree(recap.toJson());
        assertTrue(json.get("totals").get("speedup").isNull());
        assertEquals("CHECKSUM_MISMATCH", json.get("rows").get(2).get("error").get("kind").asText());
    }

    @Test
    void withoutTheSubmittedStepThereIsNothingToCompareWith() {
        Lineage lineage = new Lineage("model-3", "seed", Lineage.Status.RUNNING,
            List.of(accepted().steps().get(2)));
        Recap.Totals t = Recap.of(lineage).totals();
        assertNull(t.compression());
        assertNull(t.accuracyChangePoints());
        assertEquals(20_000, t.wallMs());
    }
}
