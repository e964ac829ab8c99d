package dev.netpress.graph;

import dev.netpress.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The per-node table of a graph: op, output shape, parameters and MACs, with totals. */
public record GraphSummary(List<Row> rows, long parameters, long nonZeroParameters, long macs) {

    /** One node's line. Shapes leave out the batch dimension. */
    public record Row(String node, String op, String outputShape, long params, long macs) {}

    public static GraphSummary of(Graph g) {
        List<Row> rows = new ArrayList<>();
        for (Node n : g.nodes()) {
            long params = 0;
            for (ParamSlot s : n.op().slots()) {
                Tensor t = n.param(s.role());
                if (t != null && s.trainable()) {
                    params += t.numel();
                }
            }
            rows.add(new Row(n.name(), n.op().wireName(), g.shapeOf(n.name()).toString(), params, g.macs(n)));
        }
        return new GraphSummary(List.copyOf(rows), g.parameterCount(), g.nonZeroParameterCount(), g.macs());
    }

    public double sparsity() {
        return parameters == 0 ? 0 : 1.0 - (double) nonZeroParameters / parameters;
    }

    /** A fixed-width text table. */
    public String table() {
        int w = Math.max(4, rows.stream().mapToInt(r -> r.node().length()).max().orElse(4));
        String fmt = "%-" + w + "s  %-16s  %-16s  %,12d  %,14d%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-" + w + "s  %-16s  %-16s  %12s  %14s%n", "node", "op", "output", "params", "MACs"));
        sb.append("-".repeat(w + 66)).append('\n');
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, r.node(), r.op(), r.outputShape(), r.params(), r.macs()));
        }
        sb.append("-".repeat(w + 66)).append('\n');
        sb.append(String.format(Locale.ROOT, "parameters %,d (non-zero %,d, sparsity %.2f%%), MACs %,d per sample%n",
                parameters, nonZeroParameters, 100 * sparsity(), macs));
        return sb.toString();
    }
}
