package dev.netpress.stages.sparsify;

import java.util.Objects;

/**
 * What a criterion may read of one layer, every array flat and row-major over the weight's shape.
 * Arrays are shared, not copied; nothing here changes them.
 *
 * @param layer the layer
 * @param weight its current weights
 * @param init its weights when sparsification began, or null if unknown
 * @param previous its weights right after the previous pruning step (the initial ones before the
 *     first), or null if unknown
 * @param gradient the loss gradient of the last backward pass, or null if none
 * @param mask the mask in force (1 kept, 0 removed), or null for none
 */
public record LayerWeights(PrunableLayer layer, float[] weight, float[] init, float[] previous, float[] gradient,
        float[] mask) {
    public LayerWeights {
        Objects.requireNonNull(layer, "layer");
        long n = layer.weightShape().numel();
        for (float[] a : new float[][] {weight, init, previous, gradient, mask}) {
            if (a != null && a.length != n) {
                throw new IllegalArgumentException("layer '" + layer.name() + "' has " + n + " weights, got an array of "
                        + a.length);
            }
        }
        Objects.requireNonNull(weight, "weight");
    }

    /** Only the current weights: no history, gradient or mask. */
    public static LayerWeights of(PrunableLayer layer, float[] weight) {
        return new LayerWeights(layer, weight, null, null, null, null);
    }
}
