package dev.netpress.stages.sparsify;

import java.util.List;

/**
 * Where the line between kept and removed is drawn: in each layer on its own ({@link Local}) or
 * once over the scores of all layers together ({@link Global}). A context only decides how many
 * groups each layer loses; which ones is always the lowest-scoring.
 */
public sealed interface Context {
    /**
     * Groups to remove per layer.
     *
     * @param scores each layer's group scores (normalized by the criterion)
     * @param fractions each layer's target sparsity as a fraction in [0, 1)
     */
    int[] removals(List<float[]> scores, double[] fractions);

    /** Whether layers may have sparsities of their own. */
    boolean perLayer();

    /** Each layer loses its own fraction of its groups: a threshold per layer. */
    record Local() implements Context {
        @Override
        public int[] removals(List<float[]> scores, double[] fractions) {
            int[] out = new int[scores.size()];
            for (int l = 0; l < out.length; l++) {
                out[l] = Selection.count(fractions[l], scores.get(l).length);
            }
            return out;
        }

        @Override
        public boolean perLayer() {
            return true;
        }
    }

    /**
     * One threshold over the groups of all layers: the target fraction of the whole pool goes,
     * so layers whose groups score lower lose more. All layers share one fraction.
     */
    record Global() implements Context {
        @Override
        public int[] removals(List<float[]> scores, double[] fractions) {
            for (double f : fractions) {
                if (f != fractions[0]) {
                    throw new IllegalArgumentException("the global context takes one sparsity for all layers");
                }
            }
            int total = scores.stream().mapToInt(s -> s.length).sum();
            float[] pool = new float[total];
            int at = 0;
            for (float[] s : scores) {
                System.arraycopy(s, 0, pool, at, s.length);
                at += s.length;
            }
            boolean[] removed = Selection.lowest(pool, fractions.length == 0 ? 0 : Selection.count(fractions[0], total));
            int[] out = new int[scores.size()];
            at = 0;
            for (int l = 0; l < out.length; l++) {
                for (int i = 0; i < scores.get(l).length; i++) {
                    if (removed[at++]) {
                        out[l]++;
                    }
                }
            }
            return out;
        }

        @Override
        public boolean perLayer() {
            return false;
        }
    }
}
