package dev.netpress.stages.quantize;

import dev.netpress.graph.Graph;
import java.util.List;

/** The quantized graph and, per quantized layer, the worst rounding error relative to its largest weight. */
public record QuantizeResult(Graph graph, List<Layer> layers, long weightBytesBefore, long weightBytesAfter) {
    public QuantizeResult {
        layers = List.copyOf(layers);
    }

    /** One quantized layer: its name and max |w − dequantized w| / max |w|. */
    public record Layer(String node, double maxRelativeError) {}

    public double compression() {
        return weightBytesAfter == 0 ? 1 : (double) weightBytesBefore / weightBytesAfter;
    }
}
