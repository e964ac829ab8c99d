package dev.netpress.stages.sparsify;

import dev.netpress.graph.deps.ChannelGroup;
import dev.netpress.graph.deps.ChannelScores;
import dev.netpress.graph.deps.ChannelSlice;
import dev.netpress.graph.deps.DependencyGraph;
import dev.netpress.tensor.Dims;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntBinaryOperator;

/**
 * Masks at the {@link Granularity#channelGroups channel-group} granularity: one score and one
 * mask per channel of each prunable dependency group, so that channels tied by residual adds,
 * depthwise convs or concats are removed together.
 *
 * <p>A channel's score is the criterion's per-unit score (reduced over each output unit, not yet
 * normalized) averaged over the group's member layers, the sparsified layers whose weight rows
 * compute it; the criterion's normalizer then rescales each group's scores, so that a global
 * context compares groups on a common scale. A group is sparsified at the largest sparsity asked
 * of its member layers. A removed channel is zeroed, as {@link DependencyGraph#zeroed} does, in
 * every trainable output slice: weight rows and biases of its producers, depthwise filters,
 * batch-norm scales and shifts. Groups without a member layer, or unprunable ones, stay dense.
 */
final class GroupMasks {
    private GroupMasks() {}

    /**
     * @param deps the dependency groups of the graph the layers belong to
     * @param fractions each layer's target sparsity, in the order of {@code layers}
     * @param keptChannels how many channels a group of a given size keeps when a given count is
     *     wanted (rounding, never none)
     */
    static Masks of(DependencyGraph deps, List<LayerWeights> layers, double[] fractions, Criterion criterion,
            Context context, IntBinaryOperator keptChannels) {
        Map<String, Integer> index = new HashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            index.put(layers.get(l).layer().weightName(), l);
        }
        // units reduced by the criterion's reducer; the normalizer applies to the group's scores instead
        Criterion raw = new Criterion(criterion.score(), criterion.reducer(), Normalizer.none());
        List<ChannelGroup> groups = new ArrayList<>();
        List<float[]> scores = new ArrayList<>();
        List<Double> groupFractions = new ArrayList<>();
        for (ChannelGroup g : deps.prunableGroups()) {
            double[] sum = new double[g.size()];
            int members = 0;
            double fraction = 0;
            for (ChannelSlice s : g.slices(ChannelSlice.Side.OUTPUT)) {
                Integer l = index.get(s.tensorName());
                if (l == null || s.axis() != 0) {
                    continue;
                }
                LayerWeights w = layers.get(l);
                float[] units = raw.groupScores(w, Granularity.channelGroups(w.layer().weightShape().rank()));
                for (int c = 0; c < sum.length; c++) {
                    for (int j = s.start(c); j < s.start(c) + s.multiplicity(); j++) {
                        sum[c] += units[j] / s.multiplicity();
                    }
                }
                members++;
                fraction = Math.max(fraction, fractions[l]);
            }
            if (members > 0) {
                float[] mean = new float[sum.length];
                for (int c = 0; c < mean.length; c++) {
                    mean[c] = (float) (sum[c] / members);
                }
                groups.add(g);
                scores.add(criterion.normalizer().normalize(mean));
                groupFractions.add(fraction);
            }
        }
        int[] removals = context.removals(scores, groupFractions.stream().mapToDouble(Double::doubleValue).toArray());
        TensorMasks masks = new TensorMasks(deps);
        for (int i = 0; i < groups.size(); i++) {
            int size = scores.get(i).length;
            int kept = keptChannels.applyAsInt(size - removals[i], size);
            masks.zero(groups.get(i), Selection.lowest(scores.get(i), size - kept));
        }
        Map<String, Mask> byTensor = masks.build();
        List<LayerMask> out = new ArrayList<>();
        for (LayerWeights w : layers) {
            Mask m = byTensor.get(w.layer().weightName());
            out.add(m == null ? LayerMask.dense(w.layer()) : new LayerMask(w.layer(), m));
        }
        return new Masks(out, byTensor);
    }

    /** Per tensor, ones with zeros at removed channels along the sliced axis; 1 on every other axis. */
    private static final class TensorMasks {
        private final DependencyGraph deps;
        private final Map<String, float[]> values = new LinkedHashMap<>();
        private final Map<String, Dims> shapes = new HashMap<>();

        TensorMasks(DependencyGraph deps) {
            this.deps = deps;
        }

        void zero(ChannelGroup g, boolean[] removed) {
            for (ChannelSlice s : g.slices()) {
                if (!ChannelScores.trainableOutput(s)) {
                    continue;
                }
                float[] v = values.computeIfAbsent(s.tensorName(), name -> {
                    Dims full = deps.graph().node(s.node()).param(s.role()).shape();
                    Dims shape = full;
                    for (int a = 0; a < full.rank(); a++) {
                        shape = shape.with(a, a == s.axis() ? full.get(a) : 1);
                    }
                    shapes.put(name, shape);
                    float[] ones = new float[full.get(s.axis())];
                    Arrays.fill(ones, 1f);
                    return ones;
                });
                for (int c = 0; c < removed.length; c++) {
                    if (removed[c]) {
                        Arrays.fill(v, s.start(c), s.start(c) + s.multiplicity(), 0f);
                    }
                }
            }
        }

        Map<String, Mask> build() {
            Map<String, Mask> out = new LinkedHashMap<>();
            values.forEach((name, v) -> out.put(name, new Mask(shapes.get(name), v)));
            return out;
        }
    }
}
