package dev.netpress.stages.sparsify;

import dev.netpress.tensor.Dims;
import java.util.Arrays;

/**
 * Which weights share one mask value: the weight axes a group spans. Elements that differ only
 * along those axes form one group, scored and kept or removed together; the mask has size 1 on
 * them and broadcasts over the weight. No grouped axes is element-wise sparsity; every axis is
 * the whole layer. Grouping over axis 0 (the output units) gives the same mask to every output
 * unit: fasterai's {@code shared_*} granularities.
 *
 * <p>A granularity may also {@linkplain #followsChannelGroups() follow channel groups}: whole
 * output units, scored and removed per dependency group of the graph
 * ({@link dev.netpress.graph.deps.DependencyGraph}), so that channels tied by a residual add or a
 * depthwise conv go together and the prune stage can then remove them.
 */
public final class Granularity {
    private final int[] axes;
    private final boolean channelGroups;

    private Granularity(int[] axes, boolean channelGroups) {
        this.axes = axes;
        this.channelGroups = channelGroups;
    }

    /** A granularity grouping over the given weight axes (none: one group per weight). */
    public static Granularity over(int... axes) {
        int[] sorted = axes.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 0 || (i > 0 && sorted[i] == sorted[i - 1])) {
                throw new IllegalArgumentException("grouped axes must be distinct and non-negative: "
                        + Arrays.toString(axes));
            }
        }
        return new Granularity(sorted, false);
    }

    /**
     * Whole output units of a weight of rank {@code rank} (every axis but 0), scored and masked
     * per channel group rather than per layer: one score and one mask per channel of a group.
     */
    public static Granularity channelGroups(int rank) {
        if (rank < 2) {
            throw new IllegalArgumentException("a weight with output units has rank 2 or more, got " + rank);
        }
        int[] axes = new int[rank - 1];
        for (int a = 1; a < rank; a++) {
            axes[a - 1] = a;
        }
        return new Granularity(axes, true);
    }

    /** Whether scores and masks follow the graph's channel groups (see {@link #channelGroups(int)}). */
    public boolean followsChannelGroups() {
        return channelGroups;
    }

    /** The grouped axes, ascending. */
    public int[] axes() {
        return axes.clone();
    }

    /** The mask's shape for a weight of shape {@code weight}: 1 on every grouped axis. */
    public Dims maskShape(Dims weight) {
        Dims d = weight;
        for (int a : axes) {
            if (a >= weight.rank()) {
                throw new IllegalArgumentException("axis " + a + " is outside weight " + weight);
            }
            d = d.with(a, 1);
        }
        return d;
    }

    public int groupCount(Dims weight) {
        return Math.toIntExact(maskShape(weight).numel());
    }

    /** Weights per group. */
    public int groupSize(Dims weight) {
        return Math.toIntExact(weight.numel() / maskShape(weight).numel());
    }

    /** For every weight (row-major), the flat index of its group in the mask. */
    public int[] groupIndex(Dims weight) {
        return broadcastIndex(weight, maskShape(weight));
    }

    /** For every element of {@code full} (row-major), its flat index in {@code small}, which has 1 or the same size on each axis. */
    static int[] broadcastIndex(Dims full, Dims small) {
        int rank = full.rank();
        int[] dims = full.toArray();
        int[] strides = new int[rank];
        int stride = 1;
        for (int a = rank - 1; a >= 0; a--) {
            strides[a] = small.get(a) == 1 ? 0 : stride;
            stride *= small.get(a);
        }
        int[] out = new int[Math.toIntExact(full.numel())];
        int[] at = new int[rank];
        int index = 0;
        for (int e = 0; e < out.length; e++) {
            out[e] = index;
            for (int a = rank - 1; a >= 0; a--) { // odometer step over the full shape
                index += strides[a];
                if (++at[a] < dims[a]) {
                    break;
                }
                index -= strides[a] * dims[a];
                at[a] = 0;
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Granularity g && Arrays.equals(axes, g.axes) && channelGroups == g.channelGroups;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(axes) + Boolean.hashCode(channelGroups);
    }

    @Override
    public String toString() {
        return (channelGroups ? "ChannelGroups" : "Granularity") + Arrays.toString(axes);
    }
}
