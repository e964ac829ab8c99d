package dev.netpress.train;

import java.util.Collection;
import java.util.List;

/**
 * Hooks into the {@link Learner}'s loop, in fastai's order: beforeFit, then per epoch
 * beforeEpoch, per batch beforeBatch → (forward) → afterLoss → (backward) → afterBackward →
 * (optimizer step) → afterStep → afterBatch, then validation and afterEpoch; afterFit last.
 * Every method has a no-op default, so a callback implements only what it needs. The
 * {@link TrainingState} gives access to the model, the batch, the loss (which afterLoss may
 * replace) and the progress through training.
 */
public interface Callback {
    default void beforeFit(TrainingState s) {}

    default void beforeEpoch(TrainingState s) {}

    default void beforeBatch(TrainingState s) {}

    /** The loss is computed; a callback may replace it with {@link TrainingState#setLoss}. */
    default void afterLoss(TrainingState s) {}

    default void afterBackward(TrainingState s) {}

    default void afterStep(TrainingState s) {}

    default void afterBatch(TrainingState s) {}

    /** Validation of this epoch is done; its figures are in {@link TrainingState#lastEpoch()}. */
    default void afterEpoch(TrainingState s) {}

    default void afterFit(TrainingState s) {}

    /** Node names whose outputs this callback reads during training (e.g. for distillation). */
    default Collection<String> activations() {
        return List.of();
    }
}
