package dev.netpress.stages.sparsify;

import dev.netpress.tensor.Dims;
import java.util.Objects;

/**
 * The mask of one layer's weight, and what follows from it: an output unit (filter, or row of a
 * linear) whose weights are all removed is dead, so its bias and the scale and shift of the batch
 * norms reading it are removed too, and the unit then outputs exactly zero.
 *
 * @param layer the layer
 * @param weight the weight's mask
 */
public record LayerMask(PrunableLayer layer, Mask weight) {
    public LayerMask {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(weight, "weight");
    }

    /** A mask keeping everything. */
    public static LayerMask dense(PrunableLayer layer) {
        Dims ones = layer.weightShape();
        for (int a = 0; a < ones.rank(); a++) {
            ones = ones.with(a, 1);
        }
        return new LayerMask(layer, new Mask(ones, new float[] {1f}));
    }

    /** Per output unit: 1 if any of its weights is kept, 0 if the unit is dead. */
    public Mask units() {
        Dims w = weight.shape();
        int units = layer.units();
        int per = Math.toIntExact(w.numel() / w.get(0));
        float[] v = weight.values();
        float[] alive = new float[units];
        for (int o = 0; o < units; o++) {
            int row = w.get(0) == 1 ? 0 : o; // a mask shared over units has one row for all
            for (int i = 0; i < per && alive[o] == 0f; i++) {
                if (v[row * per + i] != 0f) {
                    alive[o] = 1f;
                }
            }
        }
        return new Mask(Dims.of(units), alive);
    }
}
