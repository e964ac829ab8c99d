package dev.netpress.stages.sparsify;

import dev.netpress.tensor.Dims;
import java.util.Objects;

/**
 * How much each group of a layer is worth keeping, composed as in fasterai: a score per weight
 * ({@link ScoreFunction}), shifted so the lowest is {@code eps} ≥ 0, multiplied by the mask in
 * force (so removed weights score 0 and stay removed), then reduced per group of the
 * {@link Granularity} ({@link Reducer}) and normalized over the layer ({@link Normalizer}).
 */
public record Criterion(ScoreFunction score, Reducer reducer, Normalizer normalizer) {
    public Criterion {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(reducer, "reducer");
        Objects.requireNonNull(normalizer, "normalizer");
    }

    /** A criterion with fasterai's defaults: mean over each group, no normalization. */
    public static Criterion of(ScoreFunction score) {
        return new Criterion(score, Reducer.mean(), Normalizer.none());
    }

    /** What the score function reads besides the current weights. */
    public ScoreFunction.Operand operand() {
        return score.operand();
    }

    /** One score per group, indexed as the flat mask of {@code granularity} over the layer's weight. */
    public float[] groupScores(LayerWeights w, Granularity granularity) {
        Dims shape = w.layer().weightShape();
        float[] s = score.scores(w);
        float min = Float.POSITIVE_INFINITY;
        for (float v : s) {
            min = Math.min(min, v);
        }
        // negative scores (small_final, magnitude_increase) must not turn the mask product into a
        // bonus; eps goes on after the shift so that every kept weight scores above a removed one
        float offset = Math.min(min, 0);
        float[] mask = w.mask();
        int[] group = granularity.groupIndex(shape);
        double[] sums = new double[granularity.groupCount(shape)];
        for (int i = 0; i < s.length; i++) {
            float v = (s[i] - offset) + Normalizer.EPS;
            sums[group[i]] += mask == null ? v : v * mask[i];
        }
        int size = granularity.groupSize(shape);
        float[] reduced = new float[sums.length];
        for (int g = 0; g < sums.length; g++) {
            reduced[g] = (float) reducer.reduce(sums[g], size);
        }
        return normalizer.normalize(reduced);
    }
}
