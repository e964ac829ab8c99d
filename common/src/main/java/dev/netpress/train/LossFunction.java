package dev.netpress.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** A task loss over a batch: predictions (logits) and integer labels in, a scalar mean out. */
@FunctionalInterface
public interface LossFunction {
    NDArray compute(NDArray logits, NDArray labels);

    /** Cross-entropy of softmax(logits) against class indices (int64), averaged over the batch. */
    static LossFunction crossEntropy() {
        return (logits, labels) -> logits.logSoftmax(1).get(new NDIndex().addAllDim().addPickDim(labels)).neg().mean();
    }
}
