package dev.netpress.exec;

import dev.netpress.graph.Node;
import dev.netpress.tensor.Tensor;

/** Turns an int8 weight with per-output-channel scales back into float32 for execution. */
final class Dequantize {
    private Dequantize() {}

    /** The node's weight as float32: int8 × scale[channel] when quantized, else as stored. */
    static Tensor weight(Node n) {
        Tensor w = n.param("weight");
        Tensor scale = n.param("weight_scale");
        if (scale == null) {
            return w;
        }
        float[] q = w.toFloats();
        float[] s = scale.toFloats();
        int perChannel = q.length / s.length;
        for (int i = 0; i < q.length; i++) {
            q[i] *= s[i / perChannel];
        }
        return Tensor.ofFloats(w.shape(), q);
    }
}
