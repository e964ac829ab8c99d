package dev.netpress.stages.sparsify;

import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Dims;
import java.util.List;
import java.util.Set;

/**
 * A conv or linear node that a sparsifier works on, with what zeroing its output units touches:
 * its own bias and the batch norms that read its output.
 *
 * @param name the node's name; its weight is stored as {@code <name>.weight}
 * @param kind conv2d or linear
 * @param weightShape the weight's shape, output units on axis 0
 * @param hasBias whether the node has a bias
 * @param batchNorms batch-norm nodes that read this node's output directly
 */
public record PrunableLayer(String name, LayerKind kind, Dims weightShape, boolean hasBias, List<String> batchNorms) {
    public PrunableLayer {
        batchNorms = List.copyOf(batchNorms);
    }

    /** The graph's layers of the given kinds, in topological order. */
    public static List<PrunableLayer> find(Graph graph, Set<LayerKind> kinds) {
        return graph.nodes().stream()
                .filter(n -> LayerKind.of(n.op()).filter(kinds::contains).isPresent())
                .map(n -> of(graph, n))
                .toList();
    }

    private static PrunableLayer of(Graph graph, Node n) {
        // found through the graph's edges, not module order: a BN is coupled to the layer it reads
        List<String> bns = graph.consumers(n.name()).stream()
                .filter(c -> c.op() == Op.BATCHNORM).map(Node::name).toList();
        return new PrunableLayer(n.name(), LayerKind.of(n.op()).orElseThrow(), n.param("weight").shape(),
                n.param("bias") != null, bns);
    }

    public String weightName() {
        return name + ".weight";
    }

    public String biasName() {
        return name + ".bias";
    }

    /** Output units (filters of a conv, rows of a linear). */
    public int units() {
        return weightShape.get(0);
    }
}
