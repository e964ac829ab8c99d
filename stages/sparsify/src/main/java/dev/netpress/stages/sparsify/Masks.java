package dev.netpress.stages.sparsify;

import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The masks of every sparsified layer, and the tensors they reach: each weight, and for dead
 * output units the layer's bias and the following batch norms' weight and bias; with channel
 * groups, every tensor slice tied to a removed channel besides.
 *
 * @param layers one mask per layer, in the layers' order
 * @param tied masks of tensors by stored name that are tied to the layers' channels through
 *     channel groups; they take precedence over the masks derived from {@code layers}
 */
public record Masks(List<LayerMask> layers, Map<String, Mask> tied) {
    public Masks {
        layers = List.copyOf(layers);
        tied = Map.copyOf(tied);
    }

    /** Masks of the layers alone. */
    public Masks(List<LayerMask> layers) {
        this(layers, Map.of());
    }

    /** Every masked tensor by its stored name ({@code <node>.<role>}). */
    public Map<String, Mask> byTensor() {
        Map<String, Mask> m = new LinkedHashMap<>();
        for (LayerMask lm : layers) {
            PrunableLayer l = lm.layer();
            m.put(l.weightName(), lm.weight());
            Mask units = lm.units();
            if (l.hasBias()) {
                m.put(l.biasName(), units);
            }
            for (String bn : l.batchNorms()) {
                m.put(bn + ".weight", units);
                m.put(bn + ".bias", units);
            }
        }
        m.putAll(tied);
        return m;
    }

    /** Removed groups over all groups of all layers, in percent: the sparsity the target speaks of. */
    public double removedPercent() {
        long groups = layers.stream().mapToLong(l -> l.weight().values().length).sum();
        long removed = layers.stream().mapToLong(l -> l.weight().zeros()).sum();
        return groups == 0 ? 0 : 100.0 * removed / groups;
    }

    /** The graph with every masked tensor multiplied by its mask. */
    public Graph applyTo(Graph graph) {
        Map<String, Mask> masks = byTensor();
        return graph.mapNodes(n -> mask(n, masks));
    }

    private static Node mask(Node n, Map<String, Mask> masks) {
        Node out = n;
        for (Map.Entry<String, Tensor> p : n.params().entrySet()) {
            Mask m = masks.get(n.tensorName(p.getKey()));
            if (m != null) {
                out = out.withParam(p.getKey(), m.applyTo(p.getValue()));
            }
        }
        return out;
    }
}
