package dev.netpress.zoo;

import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Op;

/** torchvision's VGG layouts; node names follow torchvision's module names. */
final class Vgg {
    private static final int M = -1; // max-pool marker in the layer lists

    private Vgg() {}

    static int[] layout(int depth) {
        return switch (depth) {
            case 11 -> new int[] {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
            case 13 -> new int[] {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
            case 16 -> new int[] {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};
            case 19 -> new int[] {64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M,
                    512, 512, 512, 512, M};
            default -> throw new IllegalArgumentException("VGG depth must be 11, 13, 16 or 19, got " + depth);
        };
    }

    static Graph build(int depth, boolean batchNorm, ZooConfig c) {
        Layers l = new Layers(c);
        String x = "input";
        int channels = c.inChannels();
        int i = 0;
        for (int v : layout(depth)) {
            if (v == M) {
                x = l.op("features." + i++, Op.MAXPOOL, Attrs.of("kernel", new int[] {2, 2}, "stride", new int[] {2, 2}), x);
                continue;
            }
            int out = Layers.scaled(v, c.width());
            x = l.conv("features." + i++, x, channels, out, 3, 1, 1, 1, true);
            if (batchNorm) {
                x = l.batchNorm("features." + i++, x, out);
            }
            x = l.op("features." + i++, Op.RELU, x);
            channels = out;
        }
        int p = c.vggPoolSize();
        x = l.op("avgpool", Op.ADAPTIVE_AVGPOOL, Attrs.of("output_size", new int[] {p, p}), x);
        x = l.op("flatten", Op.FLATTEN, x);
        int hidden = c.classifierHidden();
        Attrs drop = Attrs.of("p", c.dropout());
        x = l.linearSmallNormal("classifier.0", x, channels * p * p, hidden);
        x = l.op("classifier.1", Op.RELU, x);
        x = l.op("classifier.2", Op.DROPOUT, drop, x);
        x = l.linearSmallNormal("classifier.3", x, hidden, hidden);
        x = l.op("classifier.4", Op.RELU, x);
        x = l.op("classifier.5", Op.DROPOUT, drop, x);
        x = l.linearSmallNormal("classifier.6", x, hidden, c.numClasses());
        return l.build(x);
    }
}
