package dev.netpress.zoo;

import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Appends layers to a graph under construction, with torchvision's initialisations drawn from
 * one seeded generator so a zoo model is the same for the same seed.
 */
final class Layers {
    final Graph.Builder graph = Graph.builder();
    private final SplittableRandom random;
    private final ZooConfig.Init init;
    private double spare;
    private boolean hasSpare;

    Layers(ZooConfig c) {
        this.random = new SplittableRandom(c.seed());
        this.init = c.init();
        graph.input("input", Dims.of(c.inChannels(), c.imageSize(), c.imageSize()));
    }

    /** A conv; torchvision draws kaiming-normal (fan-out) weights and zero bias. */
    String conv(String name, String in, int inC, int outC, int k, int stride, int pad, int groups, boolean bias) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        Dims shape = Dims.of(outC, inC / groups, k, k);
        double fanIn = (double) inC / groups * k * k;
        p.put("weight", init == ZooConfig.Init.TORCHVISION
                ? normal(shape, Math.sqrt(2.0 / (outC * k * k / groups)))
                : uniform(shape, 1 / Math.sqrt(fanIn)));
        if (bias) {
            p.put("bias", init == ZooConfig.Init.TORCHVISION ? Tensor.zeros(Dims.of(outC))
                    : uniform(Dims.of(outC), 1 / Math.sqrt(fanIn)));
        }
        graph.add(new Node(name, Op.CONV2D, List.of(in),
                Attrs.of("stride", new int[] {stride, stride}, "padding", new int[] {pad, pad}, "groups", groups), p));
        return name;
    }

    String batchNorm(String name, String in, int c) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", Tensor.filled(Dims.of(c), 1f));
        p.put("bias", Tensor.zeros(Dims.of(c)));
        p.put("running_mean", Tensor.zeros(Dims.of(c)));
        p.put("running_var", Tensor.filled(Dims.of(c), 1f));
        graph.add(new Node(name, Op.BATCHNORM, List.of(in), Attrs.of("eps", 1e-5, "momentum", 0.1), p));
        return name;
    }

    /** Linear; torchvision draws normal(0, 0.01) weights and zero bias for VGG and MobileNetV2. */
    String linearSmallNormal(String name, String in, int inF, int outF) {
        if (init == ZooConfig.Init.LAYER_DEFAULT) {
            return linearDefault(name, in, inF, outF);
        }
        return linear(name, in, normal(Dims.of(outF, inF), 0.01), Tensor.zeros(Dims.of(outF)));
    }

    /** Linear with PyTorch's default init, U(±1/√fan_in) for weight and bias (ResNet's fc). */
    String linearDefault(String name, String in, int inF, int outF) {
        double bound = 1.0 / Math.sqrt(inF);
        return linear(name, in, uniform(Dims.of(outF, inF), bound), uniform(Dims.of(outF), bound));
    }

    private String linear(String name, String in, Tensor w, Tensor b) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", w);
        p.put("bias", b);
        graph.add(new Node(name, Op.LINEAR, List.of(in), Attrs.NONE, p));
        return name;
    }

    String op(String name, Op op, Attrs attrs, String... inputs) {
        graph.add(new Node(name, op, List.of(inputs), attrs, Map.of()));
        return name;
    }

    String op(String name, Op op, String... inputs) {
        return op(name, op, Attrs.NONE, inputs);
    }

    Graph build(String output) {
        return graph.output(output).build();
    }

    private Tensor normal(Dims shape, double std) {
        float[] v = new float[Math.toIntExact(shape.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian() * std);
        }
        return Tensor.ofFloats(shape, v);
    }

    private Tensor uniform(Dims shape, double bound) {
        float[] v = new float[Math.toIntExact(shape.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return Tensor.ofFloats(shape, v);
    }

    /** Box-Muller, using both values of each pair; SplittableRandom has no nextGaussian on Java 17. */
    private double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double r = Math.sqrt(-2 * Math.log(1.0 - random.nextDouble()));
        double theta = 2 * Math.PI * random.nextDouble();
        spare = r * Math.sin(theta);
        hasSpare = true;
        return r * Math.cos(theta);
    }

    static int scaled(int channels, double width) {
        return Math.max(1, (int) Math.round(channels * width));
    }
}
