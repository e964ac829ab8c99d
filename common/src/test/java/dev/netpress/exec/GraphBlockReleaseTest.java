package dev.netpress.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.netpress.graph.Attrs;
import dev.netpress.graph.Graph;
import dev.netpress.graph.Node;
import dev.netpress.graph.Op;
import dev.netpress.tensor.Dims;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The executor closes each intermediate array after its last reader: only the caller's input,
 * the outputs and the activations asked for are left in the caller's manager, and values that
 * alias one another (identity, dropout in eval mode) are closed once, after their last reader.
 */
class GraphBlockReleaseTest {
    private static final float[] X = {-2, -0.5f, 1, 4};
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** r = relu(x); i = identity(r); d = dropout(i) with p = 0; s = r + d; n = relu6(s). */
    private static Graph branchy() {
        return Graph.builder().input("x", Dims.of(4))
                .add(Node.of("r", Op.RELU, List.of("x")))
                .add(Node.of("i", Op.IDENTITY, List.of("r")))
                .add(new Node("d", Op.DROPOUT, List.of("i"), Attrs.of("p", 0.0), Map.of()))
                .add(Node.of("s", Op.ADD, List.of("r", "d")))
                .add(Node.of("n", Op.RELU6, List.of("s")))
                .output("n").build();
    }

    private static final float[] EXPECTED = {0, 0, 2, 6};

    @Test
    void onlyInputAndOutputSurviveAForwardPass() {
        GraphBlock block = GraphBlock.create(branchy(), manager);
        for (boolean training : new boolean[] {false, true}) {
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = sub.create(X, new Shape(1, 4));
                NDArray out = block.forward(new ParameterStore(manager, false), new NDList(x), training).head();
                assertArrayEquals(EXPECTED, out.toFloatArray(), "training " + training);
                assertEquals(2, sub.getManagedArrays().size(), "input and output only, training " + training);
                assertArrayEquals(X, x.toFloatArray());
            }
        }
    }

    @Test
    void requestedActivationsAndTheirAliasesStayOpen() {
        GraphBlock block = GraphBlock.create(branchy(), manager);
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(X, new Shape(1, 4));
            NDList out = block.forwardWithActivations(new ParameterStore(manager, false), new NDList(x), false,
                    List.of("i", "s"));
            assertArrayEquals(EXPECTED, out.get(0).toFloatArray());
            assertArrayEquals(new float[] {0, 0, 1, 4}, out.get(1).toFloatArray());
            assertArrayEquals(new float[] {0, 0, 2, 8}, out.get(2).toFloatArray());
            // in eval mode r, i and d are one array: input, output, that array and s remain
            assertEquals(4, sub.getManagedArrays().size());
        }
    }

    @Test
    void anInputPassedThroughIsNeverClosed() {
        Graph g = Graph.builder().input("x", Dims.of(4))
                .add(Node.of("i", Op.IDENTITY, List.of("x")))
                .add(Node.of("r", Op.RELU, List.of("i")))
                .output("i").output("r").build();
        GraphBlock block = GraphBlock.create(g, manager);
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(X, new Shape(1, 4));
            NDList out = block.forward(new ParameterStore(manager, false), new NDList(x), false);
            assertSame(x, out.get(0));
            assertArrayEquals(X, out.get(0).toFloatArray());
            assertArrayEquals(new float[] {0, 0, 1, 4}, out.get(1).toFloatArray());
        }
    }
}
