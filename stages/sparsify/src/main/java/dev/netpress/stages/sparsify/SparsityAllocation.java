package dev.netpress.stages.sparsify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sparsity per layer that removes a target share of the model at the least predicted accuracy
 * cost, chosen greedily from sensitivity curves: starting dense, the layer whose next level costs
 * the least accuracy per parameter (or MAC) removed moves up one level, until the target is met.
 * Layers are assumed to act independently, as the curves were measured one layer at a time.
 *
 * @param objective what the target counts
 * @param target share of the total to remove, in percent
 * @param layerSparsity the chosen sparsity of every scanned layer, in percent (0: untouched); usable
 *     as {@link SparsifyOptions#layerSparsity()} with the local context
 * @param params weights the map is predicted to zero
 * @param macs multiply-accumulates of those weights, per sample
 * @param lastStep what the final greedy step added, counted by {@code objective}: without it the
 *     target was not yet met
 */
public record SparsityAllocation(Objective objective, double target, Map<String, Double> layerSparsity, long params,
        long macs, long lastStep) {
    public SparsityAllocation {
        layerSparsity = Collections.unmodifiableMap(new LinkedHashMap<>(layerSparsity));
    }

    /**
     * The greedy allocation over {@code curves}.
     *
     * @param total the count the target is a share of (the model's parameters or MACs)
     * @throws IllegalArgumentException if even every layer at its highest level falls short
     */
    public static SparsityAllocation greedy(List<SensitivityCurve> curves, Objective objective, double target,
            long total) {
        if (!(target > 0 && target < 100)) {
            throw new IllegalArgumentException("target must be a percentage in (0, 100), got " + target);
        }
        double goal = target / 100 * total;
        int[] at = new int[curves.size()];
        long removed = 0;
        long lastStep = 0;
        while (removed < goal) {
            int best = -1;
            double bestCost = Double.POSITIVE_INFINITY;
            for (int l = 0; l < at.length; l++) {
                SensitivityCurve c = curves.get(l);
                int i = at[l];
                if (i + 1 >= c.size()) {
                    continue;
                }
                long gain = c.removed(i + 1, objective) - c.removed(i, objective);
                // accuracy per unit removed; a gain in accuracy (negative drop) goes first
                double cost = (c.accuracyAt(i) - c.accuracyAt(i + 1)) / gain;
                if (gain > 0 && (best < 0 || cost < bestCost)) {
                    best = l;
                    bestCost = cost;
                }
            }
            if (best < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "a target of %.2f%% of %s is out of "
                        + "reach: every scanned layer at its highest level removes %.2f%%", target, objective,
                        100.0 * removed / total));
            }
            SensitivityCurve c = curves.get(best);
            lastStep = c.removed(at[best] + 1, objective) - c.removed(at[best], objective);
            removed += lastStep;
            at[best]++;
        }
        Map<String, Double> map = new LinkedHashMap<>();
        long params = 0;
        long macs = 0;
        for (int l = 0; l < at.length; l++) {
            SensitivityCurve c = curves.get(l);
            map.put(c.layer(), c.levelAt(at[l]));
            params += c.removed(at[l], Objective.PARAMS);
            macs += c.removed(at[l], Objective.MACS);
        }
        return new SparsityAllocation(objective, target, map, params, macs, lastStep);
    }
}
