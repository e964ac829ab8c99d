package dev.netpress.stages.sparsify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sparsity each layer should reach, and when: a final percentage (one for all layers, or
 * per layer) scaled by a {@link Schedule}'s progress.
 *
 * @param sparsity final percentage of every layer not in {@code perLayer}, in [0, 100)
 * @param perLayer final percentages of named layers, each in [0, 100)
 * @param schedule how the percentages ramp up over training
 */
public record SparsityTarget(double sparsity, Map<String, Double> perLayer, Schedule schedule) {
    public SparsityTarget {
        checkPercent("sparsity", sparsity);
        perLayer = Map.copyOf(perLayer);
        perLayer.forEach((layer, p) -> checkPercent("sparsity of layer '" + layer + "'", p));
        Objects.requireNonNull(schedule, "schedule");
    }

    /** The final percentage of each layer. */
    public Map<String, Double> finals(List<PrunableLayer> layers) {
        return scaled(layers, 1);
    }

    /** Every layer at 0%: what holds before a schedule starts. */
    public Map<String, Double> dense(List<PrunableLayer> layers) {
        return scaled(layers, 0);
    }

    /** Each layer's percentage at {@code pctTrain}, the fraction of training done. */
    public Map<String, Double> at(double pctTrain, List<PrunableLayer> layers) {
        return scaled(layers, schedule.progress(pctTrain));
    }

    private Map<String, Double> scaled(List<PrunableLayer> layers, double progress) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (PrunableLayer l : layers) {
            m.put(l.name(), perLayer.getOrDefault(l.name(), sparsity) * progress);
        }
        return m;
    }

    static void checkPercent(String what, double p) {
        if (!(p >= 0 && p < 100)) {
            throw new IllegalArgumentException(what + " must be a percentage in [0, 100), got " + p);
        }
    }
}
