package dev.netpress.stages.quantize;

import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.DType;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Post-training int8 weight quantization, symmetric and per output channel: for channel c,
 * {@code scale = max|w[c]| / 127} and {@code q = round(w / scale)} in [−127, 127]. The graph
 * stores the int8 weight with a float32 {@code weight_scale}; the executor dequantizes on load.
 * Biases and batch-norm parameters stay in float32: they are a small share of the bytes and
 * sensitive to rounding. Channels that are entirely zero (pruned filters) get scale 1 and stay zero.
 */
public final class WeightQuantizer {
    private static final int QMAX = 127;

    private WeightQuantizer() {}

    public static QuantizeResult quantize(Graph graph, QuantizeOptions options) {
        for (String s : options.skip()) {
            if (!graph.hasNode(s)) {
                throw new IllegalArgumentException("skip names node '" + s + "', which is not in the graph");
            }
        }
        List<QuantizeResult.Layer> layers = new ArrayList<>();
        long[] bytes = new long[2];
        Graph out = graph.mapNodes(n -> {
            Tensor w = n.param("weight");
            boolean eligible = (n.op() == Op.CONV2D && options.convolutions()) || (n.op() == Op.LINEAR && options.linears());
            if (!eligible || options.skip().contains(n.name()) || w.dtype() == DType.I8) {
                return n;
            }
            bytes[0] += w.byteSize();
            Node q = quantizeNode(n, layers);
            bytes[1] += q.param("weight").byteSize() + q.param("weight_scale").byteSize();
            return q;
        });
        return new QuantizeResult(out, layers, bytes[0], bytes[1]);
    }

    private static Node quantizeNode(Node n, List<QuantizeResult.Layer> report) {
        Tensor w = n.param("weight");
        float[] v = w.toFloats();
        int channels = w.shape().get(0);
        int per = v.length / channels;
        float[] scales = new float[channels];
        ByteBuffer q = ByteBuffer.allocate(v.length);
        double worst = 0;
        double largest = 0;
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = c * per; i < (c + 1) * per; i++) {
                max = Math.max(max, Math.abs(v[i]));
            }
            largest = Math.max(largest, max);
            float scale = max == 0 ? 1f : max / QMAX;
            scales[c] = scale;
            for (int i = c * per; i < (c + 1) * per; i++) {
                int qi = (int) Math.max(-QMAX, Math.min(QMAX, Math.rint(v[i] / scale))); // half to even, as torch.round
                q.put(i, (byte) qi);
                worst = Math.max(worst, Math.abs(v[i] - qi * scale));
            }
        }
        report.add(new QuantizeResult.Layer(n.name(), largest == 0 ? 0 : worst / largest));
        return n.withParam("weight", Tensor.of(DType.I8, w.shape(), q))
                .withParam("weight_scale", Tensor.ofFloats(Dims.of(channels), scales));
    }
}
