package dev.netpress.zoo;

import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Op;

/** torchvision's MobileNetV2: inverted residuals with depthwise convs and ReLU6. */
final class MobileNetV2 {
    /** Expansion t, output channels c, repeats n, first stride s. */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

    private MobileNetV2() {}

    /** torchvision's _make_divisible: round to a multiple of 8, never losing more than 10%. */
    static int divisible(double v) {
        int n = Math.max(8, (int) (v + 4) / 8 * 8);
        return n < 0.9 * v ? n + 8 : n;
    }

    static Graph build(ZooConfig c) {
        Layers l = new Layers(c);
        int channels = divisible(32 * c.width());
        int last = divisible(1280 * Math.max(1.0, c.width()));
        int layer = 0;
        String x = convBnRelu6(l, "features." + layer++, "input", c.inChannels(), channels, 3, c.smallInputStem() ? 1 : 2, 1);
        for (int[] s : SETTINGS) {
            int out = divisible(s[1] * c.width());
            for (int i = 0; i < s[2]; i++) {
                x = invertedResidual(l, "features." + layer++, x, channels, out, i == 0 ? s[3] : 1, s[0]);
                channels = out;
            }
        }
        x = convBnRelu6(l, "features." + layer, x, channels, last, 1, 1, 1);
        x = l.op("avgpool", Op.GLOBAL_AVGPOOL, x);
        x = l.op("flatten", Op.FLATTEN, x);
        x = l.op("classifier.0", Op.DROPOUT, Attrs.of("p", 0.2), x);
        x = l.linearSmallNormal("classifier.1", x, last, c.numClasses());
        return l.build(x);
    }

    private static String convBnRelu6(Layers l, String p, String in, int inC, int outC, int k, int stride, int groups) {
        String y = l.conv(p + ".0", in, inC, outC, k, stride, (k - 1) / 2, groups, false);
        y = l.batchNorm(p + ".1", y, outC);
        return l.op(p + ".2", Op.RELU6, y);
    }

    private static String invertedResidual(Layers l, String p, String in, int inC, int outC, int stride, int expand) {
        int hidden = (int) Math.round(inC * (double) expand);
        String y = in;
        int j = 0;
        if (expand != 1) {
            y = convBnRelu6(l, p + ".conv." + j++, y, inC, hidden, 1, 1, 1);
        }
        y = convBnRelu6(l, p + ".conv." + j++, y, hidden, hidden, 3, stride, hidden);
        y = l.conv(p + ".conv." + j++, y, hidden, outC, 1, 1, 0, 1, false);
        y = l.batchNorm(p + ".conv." + j, y, outC);
        if (stride == 1 && inC == outC) {
            y = l.op(p + ".add", Op.ADD, in, y);
        }
        return y;
    }
}
