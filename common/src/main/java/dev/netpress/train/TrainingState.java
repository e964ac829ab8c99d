package dev.netpress.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.netpress.exec.GraphBlock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What callbacks see of a running {@link Learner}. Batch-scoped arrays (inputs, predictions,
 * activations, loss) are valid only during the batch events; they are closed with the batch.
 */
public final class TrainingState {
    final GraphBlock block;
    final ParameterStore parameters;
    final NDManager manager;
    int epochs;
    int epoch;
    int batchesPerEpoch;
    int batch;
    long iteration;
    double learningRate;
    NDArray inputs;
    NDArray labels;
    NDArray predictions;
    Map<String, NDArray> activations = Map.of();
    NDArray loss;
    NDManager batchManager;
    final List<EpochResult> history = new ArrayList<>();

    TrainingState(GraphBlock block, ParameterStore parameters, NDManager manager) {
        this.block = block;
        this.parameters = parameters;
        this.manager = manager;
    }

    public GraphBlock block() {
        return block;
    }

    public ParameterStore parameterStore() {
        return parameters;
    }

    /** The manager that owns the model's parameters (lives as long as the learner). */
    public NDManager manager() {
        return manager;
    }

    /** A manager closed at the end of the current batch, for a callback's temporary arrays. */
    public NDManager batchManager() {
        return batchManager;
    }

    public int epochs() {
        return epochs;
    }

    public int epoch() {
        return epoch;
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Index of the batch within its epoch. */
    public int batch() {
        return batch;
    }

    /** Batches trained so far in this fit. */
    public long iteration() {
        return iteration;
    }

    /** Fraction of the fit done, in [0, 1] (fastai's pct_train). */
    public double pctTrain() {
        long total = (long) epochs * batchesPerEpoch;
        return total == 0 ? 0 : Math.min(1.0, (double) iteration / total);
    }

    public double learningRate() {
        return learningRate;
    }

    public NDArray inputs() {
        return inputs;
    }

    public NDArray labels() {
        return labels;
    }

    public NDArray predictions() {
        return predictions;
    }

    /** Outputs of the nodes that callbacks asked for through {@link Callback#activations()}. */
    public Map<String, NDArray> activations() {
        return activations;
    }

    public NDArray loss() {
        return loss;
    }

    public void setLoss(NDArray loss) {
        this.loss = loss;
    }

    public List<EpochResult> history() {
        return Collections.unmodifiableList(history);
    }

    public EpochResult lastEpoch() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
