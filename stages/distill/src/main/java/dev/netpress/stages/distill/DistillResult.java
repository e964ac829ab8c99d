package dev.netpress.stages.distill;

import dev.netpress.graph.Graph;
import dev.netpress.train.EpochResult;
import java.util.List;

/** The distilled student and its training history (validation accuracy per epoch). */
public record DistillResult(Graph student, List<EpochResult> history) {
    public double accuracy() {
        return history.get(history.size() - 1).accuracy();
    }
}
