package dev.netpress.stages.sparsify;

/**
 * How one layer's validation accuracy falls as it alone is sparsified, one-shot and without
 * training, with what each level removes. Index 0 of every array is the dense model (sparsity 0).
 *
 * @param layer the layer's name
 * @param levels sparsities in percent, ascending, starting at 0
 * @param accuracy validation accuracy at each level
 * @param params weights zeroed at each level
 * @param macs multiply-accumulates of those weights, per sample
 */
public record SensitivityCurve(String layer, double[] levels, double[] accuracy, long[] params, long[] macs) {
    public SensitivityCurve {
        int n = levels.length;
        if (n < 2 || accuracy.length != n || params.length != n || macs.length != n || levels[0] != 0) {
            throw new IllegalArgumentException("a curve needs the dense point and at least one level, each with an "
                    + "accuracy, params and macs; got " + n + " levels for layer '" + layer + "'");
        }
        levels = levels.clone();
        accuracy = accuracy.clone();
        params = params.clone();
        macs = macs.clone();
    }

    /** Levels including the dense point. */
    public int size() {
        return levels.length;
    }

    /** What level {@code i} removes, counted by {@code objective}. */
    public long removed(int i, Objective objective) {
        return objective == Objective.PARAMS ? params[i] : macs[i];
    }

    /** Accuracy at level {@code i}. */
    public double accuracyAt(int i) {
        return accuracy[i];
    }

    /** Sparsity of level {@code i}, in percent. */
    public double levelAt(int i) {
        return levels[i];
    }

    @Override
    public double[] levels() {
        return levels.clone();
    }

    @Override
    public double[] accuracy() {
        return accuracy.clone();
    }

    @Override
    public long[] params() {
        return params.clone();
    }

    @Override
    public long[] macs() {
        return macs.clone();
    }
}
