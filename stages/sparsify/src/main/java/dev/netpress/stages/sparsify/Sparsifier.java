package dev.netpress.stages.sparsify;

import dev.netpress.graph.Graph;
import dev.netpress.graph.deps.DependencyGraph;
import dev.netpress.tensor.Dims;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Computes and applies masks at a given sparsity: the granularity says what is removed together,
 * the criterion what is worth keeping, the context where the threshold is drawn. It knows nothing
 * of training; {@link SparsifyCallback} drives it over a schedule.
 *
 * <p>After the context has decided how many groups each layer loses, every layer keeps a count of
 * groups rounded up to a multiple of {@code roundTo}, and at least one group: no layer is ever
 * emptied. With an {@link NmPattern} the mask is the pattern instead (where the layer fits it).
 * With a granularity that {@linkplain Granularity#followsChannelGroups() follows channel groups},
 * the same holds per channel group of the graph instead of per layer ({@link GroupMasks}).
 *
 * @param kinds the kinds of layer to sparsify
 * @param granularities the granularity for each of those kinds
 * @param context local or global
 * @param criterion the scores
 * @param roundTo kept groups per layer are a multiple of this (1: no rounding)
 * @param nm an N:M pattern, or null
 */
public record Sparsifier(Set<LayerKind> kinds, Map<LayerKind, Granularity> granularities, Context context,
        Criterion criterion, int roundTo, NmPattern nm) {
    public Sparsifier {
        kinds = Set.copyOf(kinds);
        granularities = Map.copyOf(granularities);
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(criterion, "criterion");
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a sparsifier needs at least one kind of layer");
        }
        for (LayerKind k : kinds) {
            Granularity g = granularities.get(k);
            if (g == null) {
                throw new IllegalArgumentException("no granularity given for " + k + " layers");
            }
            if (nm != null && g.axes().length > 0) {
                throw new IllegalArgumentException("N:M sparsity works on single weights; it needs the element granularity");
            }
        }
        if (roundTo < 1) {
            throw new IllegalArgumentException("round_to must be at least 1, got " + roundTo);
        }
        Map<LayerKind, Granularity> given = granularities;
        if (kinds.stream().map(k -> given.get(k).followsChannelGroups()).distinct().count() > 1) {
            throw new IllegalArgumentException("channel groups may span kinds of layer: either every kind follows "
                    + "them or none does, got " + granularities);
        }
    }

    /** Whether masks follow the graph's channel groups rather than each layer on its own. */
    public boolean followsChannelGroups() {
        return kinds.stream().anyMatch(k -> granularities.get(k).followsChannelGroups());
    }

    /** The graph's layers this sparsifier works on, in topological order. */
    public List<PrunableLayer> layers(Graph graph) {
        return PrunableLayer.find(graph, kinds);
    }

    /** The graph with every layer sparsified to {@code percent}, judged on its weights alone. */
    public Graph sparsify(Graph graph, double percent) {
        return masks(graph, uniform(layers(graph), percent)).applyTo(graph);
    }

    /** The graph with each layer sparsified to its own percentage (local context). */
    public Graph sparsify(Graph graph, Map<String, Double> percents) {
        return masks(graph, percents).applyTo(graph);
    }

    /** Masks for a graph judged on its weights alone (no history, gradient or mask in force). */
    public Masks masks(Graph graph, Map<String, Double> percents) {
        List<LayerWeights> weights = new ArrayList<>();
        for (PrunableLayer l : layers(graph)) {
            weights.add(LayerWeights.of(l, graph.node(l.name()).param("weight").toFloats()));
        }
        return masks(graph, weights, percents);
    }

    /**
     * Masks for the given layers.
     *
     * @param structure the graph the layers belong to; only its structure and shapes are read, to
     *     trace channel groups when the granularity follows them
     * @param percents target sparsity of each layer by name, in [0, 100)
     */
    public Masks masks(Graph structure, List<LayerWeights> layers, Map<String, Double> percents) {
        double[] fractions = new double[layers.size()];
        for (int l = 0; l < fractions.length; l++) {
            String name = layers.get(l).layer().name();
            Double p = percents.get(name);
            if (p == null || !(p >= 0 && p < 100)) {
                throw new IllegalArgumentException("sparsity of layer '" + name + "' must be in [0, 100), got " + p);
            }
            fractions[l] = p / 100;
        }
        if (followsChannelGroups()) {
            return GroupMasks.of(DependencyGraph.of(structure), layers, fractions, criterion, context, this::keptGroups);
        }
        return nm != null ? nmMasks(layers, fractions) : groupMasks(layers, fractions);
    }

    private Masks groupMasks(List<LayerWeights> layers, double[] fractions) {
        List<float[]> scores = new ArrayList<>();
        for (LayerWeights w : layers) {
            scores.add(criterion.groupScores(w, granularity(w.layer())));
        }
        int[] removals = context.removals(scores, fractions);
        List<LayerMask> out = new ArrayList<>();
        for (int l = 0; l < scores.size(); l++) {
            PrunableLayer layer = layers.get(l).layer();
            float[] s = scores.get(l);
            int kept = keptGroups(s.length - removals[l], s.length);
            boolean[] removed = Selection.lowest(s, s.length - kept);
            float[] mask = new float[s.length];
            for (int g = 0; g < mask.length; g++) {
                mask[g] = removed[g] ? 0f : 1f;
            }
            out.add(new LayerMask(layer, new Mask(granularity(layer).maskShape(layer.weightShape()), mask)));
        }
        return new Masks(out);
    }

    private int keptGroups(int kept, int groups) {
        int rounded = roundTo == 1 ? kept : Math.max(roundTo, (kept + roundTo - 1) / roundTo * roundTo);
        return Math.max(1, Math.min(groups, rounded));
    }

    private Masks nmMasks(List<LayerWeights> layers, double[] fractions) {
        List<LayerMask> out = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            LayerWeights w = layers.get(l);
            Dims shape = w.layer().weightShape();
            if (fractions[l] == 0 || !nm.fits(shape)) {
                out.add(LayerMask.dense(w.layer()));
            } else {
                float[] scores = criterion.groupScores(w, granularity(w.layer()));
                out.add(new LayerMask(w.layer(), new Mask(shape, nm.mask(scores, shape))));
            }
        }
        return new Masks(out);
    }

    private Granularity granularity(PrunableLayer layer) {
        return granularities.get(layer.kind());
    }

    /** Every layer at the same percentage. */
    public static Map<String, Double> uniform(List<PrunableLayer> layers, double percent) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        layers.forEach(l -> m.put(l.name(), percent));
        return m;
    }
}
