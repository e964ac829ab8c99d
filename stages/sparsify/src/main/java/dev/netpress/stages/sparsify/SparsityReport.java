package dev.netpress.stages.sparsify;

import dev.netpress.graph.Graph;
import java.util.List;
import java.util.Locale;

/**
 * Zeros in each sparsified layer, counted in the weights themselves.
 *
 * @param layers one line per layer, in the layers' order
 */
public record SparsityReport(List<Layer> layers) {
    public SparsityReport {
        layers = List.copyOf(layers);
    }

    /**
     * One layer's zeros.
     *
     * @param name the layer
     * @param weights its weight count
     * @param zeros weights that are zero
     * @param units output units (filters of a conv, rows of a linear)
     * @param deadUnits output units whose weights are all zero
     */
    public record Layer(String name, long weights, long zeros, int units, int deadUnits) {
        /** Zero weights as a percentage. */
        public double percent() {
            return weights == 0 ? 0 : 100.0 * zeros / weights;
        }

        static Layer of(PrunableLayer layer, float[] weight) {
            int units = layer.units();
            int per = weight.length / units;
            long zeros = 0;
            int dead = 0;
            for (int o = 0; o < units; o++) {
                int z = 0;
                for (int i = o * per; i < (o + 1) * per; i++) {
                    if (weight[i] == 0f) {
                        z++;
                    }
                }
                zeros += z;
                if (z == per) {
                    dead++;
                }
            }
            return new Layer(layer.name(), weight.length, zeros, units, dead);
        }
    }

    /** The report of {@code layers} in {@code graph}. */
    public static SparsityReport of(Graph graph, List<PrunableLayer> layers) {
        return new SparsityReport(layers.stream()
                .map(l -> Layer.of(l, graph.node(l.name()).param("weight").toFloats())).toList());
    }

    /** Zero weights over all layers, as a percentage. */
    public double overall() {
        long w = layers.stream().mapToLong(Layer::weights).sum();
        return w == 0 ? 0 : 100.0 * layers.stream().mapToLong(Layer::zeros).sum() / w;
    }

    /** A table: one row per layer, then the total. */
    public String format() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-16s %10s %10s %9s %11s%n", "layer", "weights",
                "zeros", "sparsity", "dead units"));
        for (Layer l : layers) {
            b.append(String.format(Locale.ROOT, "%-16s %10d %10d %8.2f%% %5d/%-5d%n", l.name(), l.weights(), l.zeros(),
                    l.percent(), l.deadUnits(), l.units()));
        }
        long w = layers.stream().mapToLong(Layer::weights).sum();
        long z = layers.stream().mapToLong(Layer::zeros).sum();
        b.append(String.format(Locale.ROOT, "%-16s %10d %10d %8.2f%%", "total", w, z, overall()));
        return b.toString();
    }
}
