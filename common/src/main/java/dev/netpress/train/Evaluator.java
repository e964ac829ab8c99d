package dev.netpress.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.netpress.data.Batch;
import dev.netpress.data.DataLoader;
import dev.netpress.exec.GraphBlock;
import dev.netpress.exec.NoGrad;

/** Loss and accuracy of a model over a data loader, in eval mode and without autograd. */
public final class Evaluator {
    private Evaluator() {}

    public static Evaluation evaluate(GraphBlock block, ParameterStore ps, NDManager manager, DataLoader data,
            LossFunction loss) {
        double lossSum = 0;
        long correct = 0;
        long correct5 = 0;
        int n = 0;
        int classes = 0;
        try (NoGrad g = NoGrad.enter()) {
            for (Batch b : data.epoch(0)) {
                try (NDManager bm = manager.newSubManager()) {
                    NDArray x = bm.create(b.x(), new Shape(b.shape()));
                    NDArray y = labels(bm, b);
                    NDArray logits = block.forward(ps, new NDList(x), false).head();
                    classes = (int) logits.getShape().get(1);
                    lossSum += loss.compute(logits, y).getFloat() * b.size();
                    correct += logits.argMax(1).eq(y).sum().getLong();
                    if (classes > 5) {
                        // a label is in the top 5 when fewer than 5 logits beat it
                        NDArray own = logits.get(new NDIndex().addAllDim().addPickDim(y)).reshape(-1, 1);
                        correct5 += logits.gt(own).sum(new int[] {1}).lt(5).sum().getLong();
                    }
                    n += b.size();
                }
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("evaluation data is empty");
        }
        return new Evaluation(lossSum / n, (double) correct / n, classes > 5 ? (double) correct5 / n : Double.NaN, n);
    }

    static NDArray labels(NDManager m, Batch b) {
        long[] y = new long[b.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = b.labels()[i];
        }
        return m.create(y).toType(DataType.INT64, false);
    }
}
