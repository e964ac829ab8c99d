package dev.netpress.stages.fold;

import dev.netpress.graph.Graph;
import dev.netpress.graph.GraphInput;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds every batch norm that directly follows a conv2d or linear layer into that layer, with
 * eval-mode semantics: per output channel c, with s = γ / √(var + ε),
 * {@code w'[c] = s·w[c]} and {@code b'[c] = s·(b[c] − mean) + β}. The batch norm node disappears
 * and its readers read the layer instead.
 *
 * <p>A batch norm is left in place (and reported) when its input is not a conv2d/linear output,
 * or when that output has other readers too — folding would change what they see. The pairing
 * comes from the graph's edges, never from the order of layers.
 */
public final class BatchNormFolder {
    private BatchNormFolder() {}

    public static FoldResult fold(Graph graph, FoldOptions options) {
        List<FoldResult.Folded> folded = new ArrayList<>();
        List<FoldResult.Unfolded> unfolded = new ArrayList<>();
        Map<String, Node> replaced = new LinkedHashMap<>();
        Map<String, String> rewire = new LinkedHashMap<>();
        for (Node bn : graph.nodes()) {
            if (bn.op() != Op.BATCHNORM) {
                continue;
            }
            String reason = unfoldableReason(graph, bn, options);
            if (reason != null) {
                unfolded.add(new FoldResult.Unfolded(bn.name(), reason));
                continue;
            }
            Node layer = graph.node(bn.inputs().get(0));
            replaced.put(layer.name(), foldInto(layer, bn));
            rewire.put(bn.name(), layer.name());
            folded.add(new FoldResult.Folded(bn.name(), layer.name()));
        }
        if (folded.isEmpty()) {
            return new FoldResult(graph, folded, unfolded);
        }
        Graph.Builder b = Graph.builder();
        for (GraphInput in : graph.inputs()) {
            b.input(in.name(), in.shape());
        }
        for (Node n : graph.nodes()) {
            if (rewire.containsKey(n.name())) {
                continue;
            }
            Node m = replaced.getOrDefault(n.name(), n);
            b.add(m.withInputs(m.inputs().stream().map(i -> rewire.getOrDefault(i, i)).toList()));
        }
        b.outputs(graph.outputs().stream().map(o -> rewire.getOrDefault(o, o)).toList());
        return new FoldResult(b.build(), folded, unfolded);
    }

    private static String unfoldableReason(Graph graph, Node bn, FoldOptions options) {
        String input = bn.inputs().get(0);
        if (!graph.hasNode(input)) {
            return "it normalises a graph input";
        }
        Node layer = graph.node(input);
        if (layer.op() == Op.CONV2D && !options.convolutions()) {
            return "folding into convolutions is disabled";
        }
        if (layer.op() == Op.LINEAR && !options.linears()) {
            return "folding into linear layers is disabled";
        }
        if (layer.op() != Op.CONV2D && layer.op() != Op.LINEAR) {
            return "it follows " + layer.op().wireName() + " '" + layer.name() + "', not a conv2d or linear layer";
        }
        if (graph.consumers(layer.name()).size() > 1 || graph.outputs().contains(layer.name())) {
            return "'" + layer.name() + "' has other readers besides the batch norm";
        }
        if (layer.op() == Op.LINEAR && graph.shapeOf(layer.name()).rank() != 1) {
            return "batch norm over a sequence of features is not folded";
        }
        return null;
    }

    /** The layer with the batch norm's affine transform and statistics folded in, computed in double. */
    static Node foldInto(Node layer, Node bn) {
        float[] gamma = bn.param("weight").toFloats();
        float[] beta = bn.param("bias").toFloats();
        float[] mean = bn.param("running_mean").toFloats();
        float[] var = bn.param("running_var").toFloats();
        double eps = bn.attrs().getDouble("eps", 1e-5);
        Tensor w = layer.param("weight");
        float[] weight = w.toFloats();
        int out = w.shape().get(0);
        int perChannel = weight.length / out;
        Tensor oldBias = layer.param("bias");
        float[] bias = oldBias == null ? new float[out] : oldBias.toFloats();
        float[] newBias = new float[out];
        for (int c = 0; c < out; c++) {
            double s = gamma[c] / Math.sqrt(var[c] + eps);
            for (int k = c * perChannel; k < (c + 1) * perChannel; k++) {
                weight[k] = (float) (weight[k] * s);
            }
            newBias[c] = (float) ((bias[c] - mean[c]) * s + beta[c]);
        }
        return layer.withParam("weight", Tensor.ofFloats(w.shape(), weight))
                .withParam("bias", Tensor.ofFloats(Dims.of(out), newBias));
    }
}
