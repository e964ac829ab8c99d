package dev.netpress.stages.sparsify;

import java.util.SplittableRandom;

/**
 * Scores every weight of a layer: higher is more worth keeping. The first part of a
 * {@link Criterion}; most are one element-wise formula over the weight and one other operand.
 */
@FunctionalInterface
public interface ScoreFunction {
    /** One score per weight, row-major over the weight's shape. */
    float[] scores(LayerWeights w);

    /** What a score function reads besides the current weight. */
    enum Operand {
        /** Nothing else. */
        NONE,
        /** The weight when sparsification began ({@code w0}). */
        INIT,
        /** The weight right after the previous pruning step (fasterai's {@code updating_*}). */
        PREVIOUS,
        /** The loss gradient of the last backward pass. */
        GRADIENT
    }

    /** A score from a weight {@code w} and the element {@code x} of the other operand. */
    @FunctionalInterface
    interface Formula {
        float score(float w, float x);
    }

    /** What this function reads besides the current weight. */
    default Operand operand() {
        return Operand.NONE;
    }

    /** {@code f(w, x)} for each weight, with {@code x} taken from {@code operand}. */
    static ScoreFunction of(Operand operand, Formula f) {
        return new ScoreFunction() {
            @Override
            public float[] scores(LayerWeights lw) {
                float[] w = lw.weight();
                float[] x = switch (operand) {
                    case NONE -> w;
                    case INIT -> require(lw.init(), lw, "the initial weights");
                    case PREVIOUS -> require(lw.previous(), lw, "the weights of the previous pruning step");
                    case GRADIENT -> require(lw.gradient(), lw, "a gradient (it works during training only)");
                };
                float[] s = new float[w.length];
                for (int i = 0; i < s.length; i++) {
                    s[i] = f.score(w[i], x[i]);
                }
                return s;
            }

            @Override
            public Operand operand() {
                return operand;
            }
        };
    }

    /**
     * Uniform random scores, the same for the same seed and layer name, so repeated pruning steps
     * extend one random order instead of drawing a new one.
     */
    static ScoreFunction random(long seed) {
        return lw -> {
            SplittableRandom r = new SplittableRandom(seed ^ (long) lw.layer().name().hashCode() * 0x9E3779B97F4A7C15L);
            float[] s = new float[lw.weight().length];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) r.nextDouble();
            }
            return s;
        };
    }

    private static float[] require(float[] a, LayerWeights lw, String what) {
        if (a == null) {
            throw new IllegalStateException("this criterion needs " + what + " of layer '" + lw.layer().name()
                    + "', which were not given");
        }
        return a;
    }
}
