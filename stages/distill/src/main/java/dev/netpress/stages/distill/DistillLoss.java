package dev.netpress.stages.distill;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A distillation loss: how far the student is from the teacher on one batch. Logit losses read
 * {@code student}/{@code teacher} logits; feature losses read the matched activations, pair by
 * pair (student's i-th named activation against the teacher's i-th). Returns a scalar.
 */
public interface DistillLoss {
    NDArray compute(Batch b);

    /** What the loss sees of a batch. */
    record Batch(NDArray student, NDArray teacher, NDArray labels, List<NDArray> studentActs, List<NDArray> teacherActs) {}

    /** True when the loss compares activations (and so needs activation names). */
    default boolean needsActivations() {
        return false;
    }

    /** True when matched activations must have identical shapes (FitNet's regression). */
    default boolean needsEqualShapes() {
        return false;
    }
}
