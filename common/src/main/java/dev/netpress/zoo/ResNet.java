package dev.netpress.zoo;

import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Op;

/** torchvision's ResNet with basic blocks and projection (1×1 conv + BN) shortcuts. */
final class ResNet {
    private ResNet() {}

    static int[] blocks(int depth) {
        return switch (depth) {
            case 18 -> new int[] {2, 2, 2, 2};
            case 34 -> new int[] {3, 4, 6, 3};
            default -> throw new IllegalArgumentException("ResNet depth must be 18 or 34 (basic blocks), got " + depth);
        };
    }

    static Graph build(int depth, ZooConfig c) {
        Layers l = new Layers(c);
        int channels = Layers.scaled(64, c.width());
        String x;
        if (c.smallInputStem()) {
            x = l.conv("conv1", "input", c.inChannels(), channels, 3, 1, 1, 1, false);
            x = l.batchNorm("bn1", x, channels);
            x = l.op("relu", Op.RELU, x);
        } else {
            x = l.conv("conv1", "input", c.inChannels(), channels, 7, 2, 3, 1, false);
            x = l.batchNorm("bn1", x, channels);
            x = l.op("relu", Op.RELU, x);
            x = l.op("maxpool", Op.MAXPOOL, Attrs.of("kernel", new int[] {3, 3}, "stride", new int[] {2, 2},
                    "padding", new int[] {1, 1}), x);
        }
        int[] counts = blocks(depth);
        for (int stage = 0; stage < 4; stage++) {
            int out = Layers.scaled(64 << stage, c.width());
            for (int b = 0; b < counts[stage]; b++) {
                int stride = (stage > 0 && b == 0) ? 2 : 1;
                x = basicBlock(l, "layer" + (stage + 1) + "." + b, x, channels, out, stride);
                channels = out;
            }
        }
        x = l.op("avgpool", Op.GLOBAL_AVGPOOL, x);
        x = l.op("flatten", Op.FLATTEN, x);
        x = l.linearDefault("fc", x, channels, c.numClasses());
        return l.build(x);
    }

    private static String basicBlock(Layers l, String p, String in, int inC, int outC, int stride) {
        String y = l.conv(p + ".conv1", in, inC, outC, 3, stride, 1, 1, false);
        y = l.batchNorm(p + ".bn1", y, outC);
        y = l.op(p + ".relu1", Op.RELU, y);
        y = l.conv(p + ".conv2", y, outC, outC, 3, 1, 1, 1, false);
        y = l.batchNorm(p + ".bn2", y, outC);
        String shortcut = in;
        if (stride != 1 || inC != outC) {
            shortcut = l.conv(p + ".downsample.0", in, inC, outC, 1, stride, 0, 1, false);
            shortcut = l.batchNorm(p + ".downsample.1", shortcut, outC);
        }
        String sum = l.op(p + ".add", Op.ADD, y, shortcut);
        return l.op(p + ".relu2", Op.RELU, sum);
    }
}
