package dev.netpress.runtime.lineage;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.netpress.runtime.event.ArtifactInfo;
import dev.netpress.runtime.event.ModelEvent;
import dev.netpress.runtime.event.Timings;

/** Events as stages make them, with round numbers so a recap can be checked by hand. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2025-01-31T12:00:00Z");

    private Fixtures() {
    }

    /**
     * A submitted model and three steps. From step 0 to step 3: params 1,000,000 → 250,000 (4×), MACs
     * 200M → 40M (5×), bytes 4,000,000 → 1,250,000 (3.2×), latency 2.0 → 0.8 ms (2.5×), accuracy 88.60% →
     * 88.35% (−0.25 points); wall time 1.5 + 60 + 20 + 5 = 86.5 s. Only steps 0 and 3 measure latency.
     */
    static List<ModelEvent> fourSteps(String lineageId) {
        ModelEvent submitted = ModelEvent.submitted(lineageId, "seed", artifact(1, 4_000_300),
            metrics("params", 1_000_000, "macs", 200_000_000, "bytes", 4_000_000, "latency_ms_b1", 2.0,
                "accuracy", 0.886),
            took(0, 1_500));
        ModelEvent distilled = submitted.next("distill", 1, artifact(2, 1_600_300), Map.of("temperature", "4"),
            metrics("params", 400_000, "macs", 80_000_000, "bytes", 1_600_000, "accuracy", 0.884, "loss", 0.31),
            took(10, 60_000));
        ModelEvent pruned = distilled.next("prune", 2, artifact(3, 1_250_300), Map.of("ratio", "0.375"),
            metrics("params", 250_000, "macs", 40_000_000, "bytes", 1_250_000, "accuracy", 0.880), took(80, 20_000));
        ModelEvent evaluated = pruned.next("evaluate", 3, artifact(3, 1_250_300), Map.of(),
            metrics("params", 250_000, "macs", 40_000_000, "bytes", 1_250_000, "latency_ms_b1", 0.8,
                "accuracy", 0.8835),
            took(110, 5_000));
        return List.of(submitted, distilled, pruned, evaluated);
    }

    static ArtifactInfo artifact(int n, long bytes) {
        String sha = String.format(Locale.ROOT, "%064x", n);
        return new ArtifactInfo("file:///store/artifacts/" + sha + ".safetensors", sha, bytes, "netpress.artifact/1");
    }

    static Timings took(long startSecond, long millis) {
        Instant start = T0.plusSeconds(startSecond);
        return Timings.between(start, start.plusMillis(millis));
    }

    static Map<String, Double> metrics(Object... namesAndValues) {
        Map<String, Double> m = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).doubleValue());
        }
        return m;
    }
}
