package dev.netpress.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.tensor.DType;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphTest {
    private static Node conv(String name, String in, int inC, int outC) {
        return new Node(name, Op.CONV2D, List.of(in), Attrs.of("padding", 1),
                Map.of("weight", Tensor.zeros(Dims.of(outC, inC, 3, 3))));
    }

    private static GraphException invalid(Graph.Builder b) {
        return assertThrows(GraphException.class, b::build);
    }

    @Test
    void ordersNodesTopologicallyAndInfersShapes() {
        Graph g = Graph.builder().input("x", Dims.of(3, 8, 8))
                .add(Node.of("sum", Op.ADD, List.of("a", "b")))
                .add(conv("b", "x", 3, 4))
                .add(conv("a", "x", 3, 4))
                .add(new Node("pool", Op.MAXPOOL, List.of("sum"), Attrs.of("kernel", 2), Map.of()))
                .add(Node.of("cat", Op.CONCAT, List.of("pool", "pool")))
                .output("cat").build();
        List<String> order = g.nodes().stream().map(Node::name).toList();
        assertTrue(order.indexOf("sum") > order.indexOf("a") && order.indexOf("sum") > order.indexOf("b"));
        assertEquals(Dims.of(8, 4, 4), g.shapeOf("cat"));
        assertEquals(2 * 4 * 3 * 9 * 64, g.macs());
        assertEquals(2 * 4 * 3 * 9, g.parameterCount());
        assertEquals(0, g.nonZeroParameterCount());
        assertEquals(List.of("sum"), g.consumers("a").stream().map(Node::name).toList());
    }

    @Test
    void danglingInputNamesTheNode() {
        GraphException e = invalid(Graph.builder().input("x", Dims.of(3, 8, 8)).add(conv("c", "nope", 3, 4)).output("c"));
        assertEquals("c", e.node());
        assertTrue(e.getMessage().contains("'nope' is not defined"), e.getMessage());
    }

    @Test
    void cycleIsReportedWithItsPath() {
        GraphException e = invalid(Graph.builder().input("x", Dims.of(4))
                .add(Node.of("a", Op.ADD, List.of("x", "c")))
                .add(Node.of("b", Op.RELU, List.of("a")))
                .add(Node.of("c", Op.RELU, List.of("b")))
                .output("c"));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        assertTrue(e.getMessage().contains("a -> b -> c -> a") || e.getMessage().contains("b -> c -> a -> b")
                || e.getMessage().contains("c -> a -> b -> c"), e.getMessage());
    }

    @Test
    void channelMismatchNamesTheNodeAndBothSides() {
        GraphException e = invalid(Graph.builder().input("x", Dims.of(3, 8, 8))
                .add(conv("c1", "x", 3, 4)).add(conv("c2", "c1", 5, 4)).output("c2"));
        assertEquals("c2", e.node());
        assertTrue(e.getMessage().contains("channel mismatch: input has 4 channels"), e.getMessage());
    }

    @Test
    void unknownOpInJsonIsRefused() {
        String json = "{\"format\":\"netpress.graph/1\",\"inputs\":[{\"name\":\"x\",\"shape\":[3]}],"
                + "\"nodes\":[{\"name\":\"s\",\"op\":\"softmax\",\"inputs\":[\"x\"]}],\"outputs\":[\"s\"]}";
        GraphException e = assertThrows(GraphException.class, () -> GraphJson.read(json, Map.of()));
        assertTrue(e.getMessage().contains("unknown op 'softmax'"), e.getMessage());
    }

    @Test
    void otherStructuralErrors() {
        Graph.Builder noOutput = Graph.builder().input("x", Dims.of(3)).add(Node.of("r", Op.RELU, List.of("x")));
        assertTrue(invalid(noOutput).getMessage().contains("output"));
        assertTrue(invalid(Graph.builder().input("x", Dims.of(3)).add(Node.of("r", Op.RELU, List.of("x"))).output("q"))
                .getMessage().contains("'q'"));
        assertTrue(invalid(Graph.builder().input("x", Dims.of(3)).add(Node.of("r", Op.RELU, List.of("x", "x"))).output("r"))
                .getMessage().contains("takes 1 input"));
        assertTrue(invalid(Graph.builder().input("x", Dims.of(3)).add(Node.of("a", Op.ADD, List.of("x", "y"))).input("y", Dims.of(4)).output("a"))
                .getMessage().contains("equal shapes"));
        assertTrue(invalid(Graph.builder().input("x", Dims.of(3, 8, 8))
                .add(new Node("c", Op.CONV2D, List.of("x"), Attrs.NONE, Map.of())).output("c"))
                .getMessage().contains("needs parameter 'weight'"));
        assertTrue(invalid(Graph.builder().input("x", Dims.of(3, 2, 2)).add(new Node("c", Op.CONV2D, List.of("x"), Attrs.NONE,
                Map.of("weight", Tensor.zeros(Dims.of(4, 3, 3, 3))))).output("c")).getMessage().contains("does not fit"));
        assertTrue(invalid(Graph.builder().input("x", Dims.of(3, 8, 8)).add(new Node("c", Op.CONV2D, List.of("x"), Attrs.NONE,
                Map.of("weight", Tensor.zeros(Dims.of(4, 3, 3, 3)), "gamma", Tensor.zeros(Dims.of(4))))).output("c"))
                .getMessage().contains("no parameter 'gamma'"));
        assertTrue(invalid(Graph.builder().input("x", Dims.of(3, 8, 8)).add(new Node("c", Op.CONV2D, List.of("x"), Attrs.NONE,
                Map.of("weight", Tensor.zeros(Dims.of(4, 3, 3, 3)).to(DType.I32)))).output("c"))
                .getMessage().contains("unsupported type"));
        assertTrue(invalid(Graph.builder().input("x", Dims.of(3, 8, 8)).add(conv("x", "x", 3, 3)).output("x"))
                .getMessage().contains("name of a graph input"));
    }

    @Test
    void jsonRoundTripKeepsStructureAndRefusesForeignWeights() {
        Graph g = Zoo.build("resnet18", ZooConfig.builder().optWidth(0.125).optImageSize(32).optNumClasses(10).build());
        Graph back = GraphJson.read(GraphJson.write(g), g.tensors());
        assertEquals(GraphJson.write(g), GraphJson.write(back));
        assertEquals(g.parameterCount(), back.parameterCount());

        Map<String, Tensor> missing = new HashMap<>(g.tensors());
        missing.remove("fc.bias");
        assertTrue(assertThrows(GraphException.class, () -> GraphJson.read(GraphJson.write(g), missing))
                .getMessage().contains("'fc.bias' is missing"));
        Map<String, Tensor> extra = new HashMap<>(g.tensors());
        extra.put("ghost.weight", Tensor.zeros(Dims.of(1)));
        assertTrue(assertThrows(GraphException.class, () -> GraphJson.read(GraphJson.write(g), extra))
                .getMessage().contains("belongs to no node"));
        Map<String, Tensor> wrongShape = new HashMap<>(g.tensors());
        wrongShape.put("fc.weight", Tensor.zeros(Dims.of(10, 3)));
        GraphException e = assertThrows(GraphException.class, () -> GraphJson.read(GraphJson.write(g), wrongShape));
        assertEquals("fc", e.node());
    }

    @Test
    void summaryTableListsEveryNodeWithTotals() {
        Graph g = Zoo.build("vgg11_bn", ZooConfig.fashionMnist());
        GraphSummary s = GraphSummary.of(g);
        assertEquals(g.nodes().size(), s.rows().size());
        assertEquals(g.parameterCount(), s.rows().stream().mapToLong(GraphSummary.Row::params).sum());
        assertEquals(g.macs(), s.rows().stream().mapToLong(GraphSummary.Row::macs).sum());
        String table = s.table();
        assertTrue(table.contains("features.0") && table.contains("conv2d") && table.contains("[16, 32, 32]"), table);
    }
}
