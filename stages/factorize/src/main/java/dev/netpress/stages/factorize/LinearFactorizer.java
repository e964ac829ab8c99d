package dev.netpress.stages.factorize;

import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.GraphInput;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.DType;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces linear layers by two thinner ones through a truncated SVD: W [out, in] ≈ U_k Σ_k V_kᵀ
 * becomes {@code <name>.0} [k, in] = Σ_k^{1/2} V_kᵀ without bias, then {@code <name>.1}
 * [out, k] = U_k Σ_k^{1/2} with the original bias; readers of the old layer read {@code <name>.1}.
 * The names match PyTorch's when the Linear is swapped for {@code nn.Sequential(first, second)}.
 *
 * <p>Σ^{1/2} goes to both sides so the two layers have equal scales (‖row j of the first‖ =
 * ‖column j of the second‖ = √σⱼ): that keeps their gradients comparable when the model is
 * fine-tuned afterwards, and neither factor's range dwarfs the other's when it is quantized. The
 * bias stays on the second layer, where it is added to the same outputs as before.
 *
 * <p>A layer is replaced only when that saves parameters, k·(in + out) &lt; in·out (the bias is the
 * same on both sides); otherwise it is left and listed with the reason. Weights with more than
 * {@link FactorizeOptions#randomizedAbove()} elements use a randomized SVD ({@link RandomizedSvd}),
 * the others EJML's exact SVD.
 */
public final class LinearFactorizer {
    private LinearFactorizer() {}

    /**
     * Factorizes the layers the options select.
     *
     * @throws IllegalArgumentException before any work, when a named layer does not exist or is
     *     not a linear layer
     */
    public static FactorizeResult factorize(Graph graph, FactorizeOptions options) {
        List<Node> candidates = new ArrayList<>();
        List<FactorizeResult.Skipped> skipped = new ArrayList<>();
        select(graph, options, candidates, skipped);

        List<FactorizeResult.Factorized> factorized = new ArrayList<>();
        Map<String, List<Node>> replacements = new LinkedHashMap<>();
        for (Node n : candidates) {
            String reason = structuralReason(graph, n);
            if (reason != null) {
                skipped.add(new FactorizeResult.Skipped(n.name(), reason));
                continue;
            }
            Tensor w = n.param("weight");
            int out = w.shape().get(0);
            int in = w.shape().get(1);
            boolean bias = n.param("bias") != null;
            LowRank f = decompose(n.name(), w, options);
            long before = (long) out * in + (bias ? out : 0);
            long after = (long) f.rank() * (in + out) + (bias ? out : 0);
            if (!f.factored()) {
                skipped.add(new FactorizeResult.Skipped(n.name(), growthReason(f, before, after, options)));
                continue;
            }
            replacements.put(n.name(), split(n, f));
            factorized.add(new FactorizeResult.Factorized(n.name(), out, in, f.rank(), before, after,
                    f.relativeError(), f.randomized()));
        }
        Graph result = replacements.isEmpty() ? graph : rebuild(graph, replacements);
        return new FactorizeResult(result, options.ruleDescription(), factorized, skipped);
    }

    /** The layers to work on; every check on names happens here, before any decomposition. */
    private static void select(Graph graph, FactorizeOptions options, List<Node> candidates,
            List<FactorizeResult.Skipped> skipped) {
        if (!options.layers().isEmpty()) {
            for (String name : options.layers()) {
                if (!graph.hasNode(name)) {
                    throw new IllegalArgumentException("factorize: no node named '" + name + "'");
                }
                Node n = graph.node(name);
                if (n.op() != Op.LINEAR) {
                    throw new IllegalArgumentException("factorize: '" + name + "' is a " + n.op().wireName()
                            + " node, not a linear layer; only linear layers can be factorized");
                }
                candidates.add(n);
            }
            return;
        }
        for (Node n : graph.nodes()) {
            if (n.op() != Op.LINEAR) {
                continue;
            }
            if (graph.outputs().contains(n.name())) {
                skipped.add(new FactorizeResult.Skipped(n.name(), "the classifier: its output is a graph output"
                        + " (name it in layers to factorize it anyway)"));
            } else {
                candidates.add(n);
            }
        }
    }

    private static String structuralReason(Graph graph, Node n) {
        Tensor w = n.param("weight");
        if (w.dtype() == DType.I8) {
            return "its weight is quantized to int8; factorize before quantizing";
        }
        for (String suffix : List.of(".0", ".1")) {
            if (graph.hasNode(n.name() + suffix)) {
                return "the graph already has a node named '" + n.name() + suffix + "'";
            }
        }
        return null;
    }

    private static LowRank decompose(String name, Tensor weight, FactorizeOptions options) {
        int out = weight.shape().get(0);
        int in = weight.shape().get(1);
        int minDim = Math.min(out, in);
        int maxRank = RankTarget.maxSavingRank(out, in);
        RankTarget target = options.percentRemoved() != null
                ? new RankTarget.Fixed(RankTarget.percentRank(options.percentRemoved(), minDim))
                : new RankTarget.Energy(options.energyThreshold(), maxRank);
        boolean randomized = (long) out * in > options.randomizedAbove();
        if (target instanceof RankTarget.Fixed f && f.rank() > maxRank) {
            return LowRank.tooLarge(f.rank(), false, randomized); // no decomposition needed to know it grows
        }
        if (target instanceof RankTarget.Energy && maxRank == 0) {
            return LowRank.tooLarge(1, true, false);
        }
        float[] w = weight.toFloats();
        double squaredNorm = 0;
        for (float v : w) {
            squaredNorm += (double) v * v;
        }
        if (!Double.isFinite(squaredNorm)) {
            throw new IllegalArgumentException("factorize: the weight of '" + name + "' has non-finite values");
        }
        if (squaredNorm == 0) {
            int k = target instanceof RankTarget.Fixed f ? f.rank() : 1;
            return LowRank.of(k, new float[k * in], new float[out * k], 0, false);
        }
        return randomized ? RandomizedSvd.factor(w, out, in, squaredNorm, target, options)
                : ExactSvd.factor(w, out, in, target);
    }

    private static String growthReason(LowRank f, long before, long after, FactorizeOptions options) {
        String rank = (f.rankIsLowerBound() ? "rank ≥ " : "rank ") + f.rank();
        String prefix = options.energyThreshold() == null ? rank + " "
                : "keeping " + FactorizeOptions.percent(options.energyThreshold()) + " of the energy needs " + rank
                        + (f.randomized() ? " (randomized estimate)" : "") + ", which ";
        if (after == before) {
            return prefix + "would not shrink it: " + FactorizeResult.count(before) + " parameters either way";
        }
        return prefix + "would grow it from " + FactorizeResult.count(before) + " to "
                + (f.rankIsLowerBound() ? "at least " : "") + FactorizeResult.count(after) + " parameters";
    }

    /** The two linears replacing {@code n}, in the weight's original floating-point type. */
    private static List<Node> split(Node n, LowRank f) {
        Tensor w = n.param("weight");
        int out = w.shape().get(0);
        int in = w.shape().get(1);
        Tensor first = Tensor.ofFloats(Dims.of(f.rank(), in), f.first()).to(w.dtype());
        Tensor second = Tensor.ofFloats(Dims.of(out, f.rank()), f.second()).to(w.dtype());
        Map<String, Tensor> secondParams = new LinkedHashMap<>();
        secondParams.put("weight", second);
        if (n.param("bias") != null) {
            secondParams.put("bias", n.param("bias"));
        }
        Node a = new Node(n.name() + ".0", Op.LINEAR, n.inputs(), Attrs.NONE, Map.of("weight", first));
        Node b = new Node(n.name() + ".1", Op.LINEAR, List.of(a.name()), Attrs.NONE, secondParams);
        return List.of(a, b);
    }

    private static Graph rebuild(Graph graph, Map<String, List<Node>> replacements) {
        Graph.Builder b = Graph.builder();
        for (GraphInput in : graph.inputs()) {
            b.input(in.name(), in.shape());
        }
        for (Node n : graph.nodes()) {
            List<Node> pair = replacements.get(n.name());
            if (pair != null) {
                pair.forEach(b::add);
            } else {
                b.add(n.withInputs(n.inputs().stream().map(i -> readerName(i, replacements)).toList()));
            }
        }
        b.outputs(graph.outputs().stream().map(o -> readerName(o, replacements)).toList());
        return b.build();
    }

    private static String readerName(String value, Map<String, List<Node>> replacements) {
        return replacements.containsKey(value) ? value + ".1" : value;
    }
}
