package dev.netpress.stages.prune;

import dev.netpress.train.Gradients;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.netpress.data.Batch;
import dev.netpress.data.DataLoader;
import dev.netpress.exec.GraphBlock;
import dev.netpress.graph.Graph;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import dev.netpress.train.LossFunction;
import java.util.LinkedHashMap;
import java.util.Map;

/** The cross-entropy gradient of every trainable tensor over the first batches of some data. */
final class TaylorGradients {
    private TaylorGradients() {}

    /**
     * Gradients by stored tensor name of the summed loss of the first {@code batches} batches
     * (fewer if the data has fewer), in eval mode: batch norm uses its running statistics and
     * dropout is off, so the scores do not depend on the batch split.
     */
    static Map<String, Tensor> compute(Graph graph, DataLoader data, int batches) {
        LossFunction loss = LossFunction.crossEntropy();
        try (NDManager m = NDManager.newBaseManager()) {
            GraphBlock block = GraphBlock.create(graph, m);
            ParameterStore ps = new ParameterStore(m, false);
            // one backward over the summed losses: a fresh block holds exactly this gradient
            try (GradientCollector gc = Gradients.collect()) {
                NDArray total = null;
                int used = 0;
                for (Batch b : data.epoch(0)) {
                    if (used++ == batches) {
                        break;
                    }
                    NDArray x = m.create(b.x(), new Shape(b.shape()));
                    long[] y = new long[b.size()];
                    for (int i = 0; i < y.length; i++) {
                        y[i] = b.labels()[i];
                    }
                    NDArray l = loss.compute(block.forward(ps, new NDList(x), false).head(), m.create(y));
                    total = total == null ? l : total.add(l);
                }
                if (total == null) {
                    throw new IllegalArgumentException("taylor importance needs data, but the data loader has no batches");
                }
                gc.backward(total);
            }
            Map<String, Tensor> grads = new LinkedHashMap<>();
            block.parametersByTensorName().forEach((name, p) -> {
                if (p.requiresGradient()) {
                    NDArray w = p.getArray();
                    grads.put(name, Tensor.ofFloats(Dims.of(w.getShape().getShape()), w.getGradient().toFloatArray()));
                }
            });
            return grads;
        }
    }
}
