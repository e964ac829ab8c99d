package dev.netpress.stages.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Accepts a compressed model when its accuracy fell by at most {@code maxAccuracyDrop}
 * percentage points below the lineage's first model and, if {@code minSpeedup} is set, its
 * batch-1 latency improved by at least that factor.
 */
public record Gate(double maxAccuracyDrop, Double minSpeedup) {
    public Gate {
        if (!(maxAccuracyDrop >= 0) || maxAccuracyDrop > 100) {
            throw new IllegalArgumentException("max accuracy drop must be in [0, 100] points, got " + maxAccuracyDrop);
        }
        if (minSpeedup != null && !(minSpeedup > 0)) {
            throw new IllegalArgumentException("min speed-up must be positive, got " + minSpeedup);
        }
    }

    /** The decision with the numbers behind it. */
    public record Decision(boolean accepted, List<String> reasons) {
        public Decision {
            reasons = List.copyOf(reasons);
        }
    }

    public Decision decide(Comparison vsFirst) {
        if (vsFirst == null) {
            throw new IllegalArgumentException("the gate needs the lineage's first model to compare with");
        }
        List<String> reasons = new ArrayList<>();
        boolean ok = true;
        if (Double.isNaN(vsFirst.accuracyDrop())) {
            ok = false;
            reasons.add("accuracy of the first model or of this one is unknown");
        } else {
            boolean pass = vsFirst.accuracyDrop() <= maxAccuracyDrop + 1e-9;
            ok &= pass;
            reasons.add(String.format(Locale.ROOT, "accuracy drop %.2f points %s the allowed %.2f",
                    vsFirst.accuracyDrop(), pass ? "within" : "exceeds", maxAccuracyDrop));
        }
        if (minSpeedup != null) {
            boolean pass = vsFirst.speedup() >= minSpeedup;
            ok &= pass;
            reasons.add(String.format(Locale.ROOT, "speed-up %.2fx %s the required %.2fx",
                    vsFirst.speedup(), pass ? "meets" : "falls short of", minSpeedup));
        }
        return new Decision(ok, reasons);
    }
}
