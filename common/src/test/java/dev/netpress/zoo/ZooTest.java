package dev.netpress.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Dims;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ZooTest {
    /** Parameter counts of torchvision's models (1000 classes, 224×224), as torchvision reports them. */
    @ParameterizedTest
    @CsvSource({"vgg11, 132863336", "vgg16, 138357544", "vgg16_bn, 138365992", "vgg19_bn, 143678248",
        "resnet18, 11689512", "resnet34, 21797672", "mobilenet_v2, 3504872"})
    void fullSizeModelsMatchTorchvisionParameterCounts(String name, long params) {
        assertEquals(params, Zoo.build(name, ZooConfig.builder().build()).parameterCount());
    }

    /** torchvision's published GFLOPS (in fact MACs) for these models at 224×224. */
    @ParameterizedTest
    @CsvSource({"resnet18, 1.81", "mobilenet_v2, 0.30", "vgg16, 15.47"})
    void fullSizeModelsMatchTorchvisionMacs(String name, double gmacs) {
        Graph g = Zoo.build(name, ZooConfig.builder().build());
        assertEquals(gmacs, g.macs() / 1e9, 0.01);
    }

    @Test
    void seedWalkthroughVggHasItsParameterCount() {
        // the seed notebook: vgg16_bn(num_classes=10) reports 134,309,962 parameters
        Graph g = Zoo.build("vgg16_bn", ZooConfig.builder().optNumClasses(10).optImageSize(128).build());
        assertEquals(134_309_962L, g.parameterCount());
    }

    @Test
    void fashionMnistBaselineHasTheIssuesSize() {
        Graph g = Zoo.build("vgg16_bn", ZooConfig.fashionMnist());
        assertEquals(1_256_442L, g.parameterCount()); // "1.26M parameters"
        assertEquals(19_944_448L, g.macs()); // "19.9M MACs"
        assertEquals(Dims.of(10), g.shapeOf(g.outputs().get(0)));
    }

    @Test
    void mobilenetHasDepthwiseConvsAndResidualAdds() {
        Graph g = Zoo.build("mobilenet_v2", ZooConfig.builder().optNumClasses(10).optImageSize(32).build());
        long depthwise = g.nodes().stream().filter(n -> n.op() == Op.CONV2D && n.attrs().getInt("groups", 1) > 1
                && n.attrs().getInt("groups", 1) == n.param("weight").shape().get(0)).count();
        assertEquals(17, depthwise);
        assertEquals(10, g.nodes().stream().filter(n -> n.op() == Op.ADD).count());
    }

    @Test
    void resnetShortcutsProjectWhenShapesChange() {
        Graph g = Zoo.build("resnet18", ZooConfig.builder().optWidth(0.25).optImageSize(32).optSmallInputStem(true).build());
        assertEquals(3, g.nodes().stream().filter(n -> n.name().endsWith("downsample.0")).count());
        Node add = g.node("layer2.0.add");
        assertEquals(g.shapeOf(add.inputs().get(0)), g.shapeOf(add.inputs().get(1)));
        assertEquals(Dims.of(32, 16, 16), g.shapeOf("layer2.0.add"));
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        ZooConfig c = ZooConfig.fashionMnist();
        Graph a = Zoo.build("vgg11_bn", c);
        Graph b = Zoo.build("vgg11_bn", c);
        Graph d = Zoo.build("vgg11_bn", c.toBuilder().optSeed(7).build());
        assertTrue(a.node("features.0").param("weight").contentEquals(b.node("features.0").param("weight")));
        assertTrue(!a.node("features.0").param("weight").contentEquals(d.node("features.0").param("weight")));
    }

    @Test
    void unknownNamesAndBadOptionsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Zoo.build("vgg17", ZooConfig.builder().build()));
        assertTrue(e.getMessage().contains("vgg16_bn"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ZooConfig.builder().optWidth(0).build());
        assertThrows(IllegalArgumentException.class, () -> ZooConfig.builder().optDropout(1.0).build());
    }
}
