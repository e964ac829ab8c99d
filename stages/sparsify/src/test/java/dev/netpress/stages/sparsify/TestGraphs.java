package dev.netpress.stages.sparsify;

import dev.netpress.data.DataLoader;
import dev.netpress.data.FashionMnist;
import dev.netpress.data.Pad;
import dev.netpress.data.Split;
import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/** Small hand-made graphs and weights for the tests. */
final class TestGraphs {
    private TestGraphs() {}

    /** A tensor whose element at flat index i is f(i). */
    static Tensor tensor(Dims shape, IntToDoubleFunction f) {
        float[] v = new float[Math.toIntExact(shape.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) f.applyAsDouble(i);
        }
        return Tensor.ofFloats(shape, v);
    }

    /** Magnitudes 1/n … n/n in a seeded shuffled order with alternating signs: a weight with a strict ranking. */
    static Tensor distinct(Dims shape, long seed) {
        int n = Math.toIntExact(shape.numel());
        List<Integer> ranks = new java.util.ArrayList<>(java.util.stream.IntStream.rangeClosed(1, n).boxed().toList());
        java.util.Collections.shuffle(ranks, new java.util.Random(seed));
        return tensor(shape, i -> (i % 2 == 0 ? 1 : -1) * ranks.get(i) / (double) n);
    }

    static Node conv(String name, String in, Tensor weight, boolean bias) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", weight);
        if (bias) {
            p.put("bias", Tensor.filled(Dims.of(weight.shape().get(0)), 0.5f));
        }
        return new Node(name, Op.CONV2D, List.of(in), Attrs.of("padding", 1), p);
    }

    static Node batchNorm(String name, String in, int c) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", Tensor.filled(Dims.of(c), 1.5f));
        p.put("bias", Tensor.filled(Dims.of(c), 0.25f));
        p.put("running_mean", Tensor.zeros(Dims.of(c)));
        p.put("running_var", Tensor.filled(Dims.of(c), 1f));
        return new Node(name, Op.BATCHNORM, List.of(in), Attrs.NONE, p);
    }

    static Node linear(String name, String in, Tensor weight) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", weight);
        p.put("bias", Tensor.filled(Dims.of(weight.shape().get(0)), 0.5f));
        return new Node(name, Op.LINEAR, List.of(in), Attrs.NONE, p);
    }

    /** input [in, 4, 4] → conv (with bias) → bn → relu → flatten → linear → 3 outputs. */
    static Graph convBnLinear(Tensor convWeight, Tensor linearWeight) {
        int out = convWeight.shape().get(0);
        return Graph.builder().input("input", Dims.of(convWeight.shape().get(1), 4, 4))
                .add(conv("conv", "input", convWeight, true))
                .add(batchNorm("bn", "conv", out))
                .add(Node.of("relu", Op.RELU, List.of("bn")))
                .add(Node.of("flatten", Op.FLATTEN, List.of("relu")))
                .add(linear("fc", "flatten", linearWeight))
                .output("fc").build();
    }

    /** vgg11_bn at width 1/8 with a 32-wide classifier: seconds to train on a few hundred images. */
    static Graph tinyVgg() {
        return Zoo.build("vgg11_bn", ZooConfig.fashionMnist().toBuilder().optWidth(0.125).optClassifierHidden(32).build());
    }

    static DataLoader loader(int n, int batch, boolean shuffle) {
        return DataLoader.builder(FashionMnist.bundled(Split.TRAIN).first(n), batch).transform(new Pad(2))
                .shuffle(shuffle).seed(5).build();
    }

    static DataLoader validation(int n) {
        return DataLoader.builder(FashionMnist.bundled(Split.TEST).first(n), 256).transform(new Pad(2)).build();
    }
}
