package dev.netpress.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.netpress.data.Batch;
import dev.netpress.data.DataLoader;
import dev.netpress.exec.GraphBlock;
import dev.netpress.graph.Graph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Trains a {@link Graph} on the PyTorch engine, in the spirit of fastai's Learner: {@link #fit}
 * with any learning-rate schedule, {@link #fitOneCycle}, validation loss and accuracy after every
 * epoch, and {@link Callback}s around every step. The learner owns the model's native memory;
 * close it when done, after taking the trained model out with {@link #graph()}.
 */
public final class Learner implements AutoCloseable {
    private final NDManager manager;
    private final GraphBlock block;
    private final ParameterStore parameters;
    private final DataLoader train;
    private final DataLoader valid;
    private final LossFunction loss;
    private final OptimizerSpec optimizerSpec;
    private final List<Callback> callbacks;
    private final long seed;
    private final TrainingState state;

    private Learner(Builder b) {
        this.manager = NDManager.newBaseManager();
        this.block = GraphBlock.create(b.graph, manager);
        this.parameters = new ParameterStore(manager, false);
        this.train = b.train;
        this.valid = b.valid;
        this.loss = b.loss;
        this.optimizerSpec = b.optimizer;
        this.callbacks = List.copyOf(b.callbacks);
        this.seed = b.seed;
        this.state = new TrainingState(block, parameters, manager);
    }

    public static Builder builder(Graph graph, DataLoader train) {
        return new Builder(graph, train);
    }

    /** Trains with fastai's one-cycle schedule peaking at {@code maxLr}. */
    public List<EpochResult> fitOneCycle(int epochs, double maxLr) {
        return fit(epochs, LrSchedule.oneCycle(maxLr));
    }

    /** Trains at a constant learning rate. */
    public List<EpochResult> fit(int epochs, double lr) {
        return fit(epochs, LrSchedule.constant(lr));
    }

    public List<EpochResult> fit(int epochs, LrSchedule schedule) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        Engine.getInstance().setRandomSeed((int) seed);
        SettableRate rate = new SettableRate();
        Optimizer optimizer = optimizerSpec.build(rate);
        List<Parameter> trainable = new ArrayList<>();
        for (Parameter p : block.parametersByTensorName().values()) {
            if (p.requiresGradient()) {
                trainable.add(p);
            }
        }
        Set<String> taps = new LinkedHashSet<>();
        callbacks.forEach(c -> taps.addAll(c.activations()));
        List<String> tapList = List.copyOf(taps);

        int first = state.history.size();
        state.epochs = epochs;
        state.batchesPerEpoch = train.batchesPerEpoch();
        state.iteration = 0;
        callbacks.forEach(c -> c.beforeFit(state));
        for (int e = 0; e < epochs; e++) {
            state.epoch = e;
            long t0 = System.nanoTime();
            callbacks.forEach(c -> c.beforeEpoch(state));
            double lossSum = 0;
            int seen = 0;
            int i = 0;
            for (Batch b : train.epoch(first + e)) {
                state.batch = i++;
                state.learningRate = schedule.at(state.pctTrain());
                rate.value = (float) state.learningRate;
                lossSum += step(b, optimizer, trainable, tapList) * b.size();
                seen += b.size();
                state.iteration++;
            }
            Evaluation ev = valid == null ? null : validate();
            if (ev != null && !Double.isFinite(ev.loss())) {
                throw new TrainingDivergedException("validation loss is " + ev.loss() + " after epoch " + (first + e)
                        + "; lower the learning rate");
            }
            state.history.add(new EpochResult(first + e, seen == 0 ? Double.NaN : lossSum / seen,
                    ev == null ? Double.NaN : ev.loss(), ev == null ? Double.NaN : ev.accuracy(),
                    (System.nanoTime() - t0) / 1e9));
            callbacks.forEach(c -> c.afterEpoch(state));
        }
        callbacks.forEach(c -> c.afterFit(state));
        return List.copyOf(state.history.subList(first, state.history.size()));
    }

    private double step(Batch b, Optimizer optimizer, List<Parameter> trainable, List<String> taps) {
        try (NDManager bm = manager.newSubManager()) {
            state.batchManager = bm;
            state.inputs = bm.create(b.x(), new Shape(b.shape()));
            state.labels = Evaluator.labels(bm, b);
            callbacks.forEach(c -> c.beforeBatch(state));
            try (GradientCollector gc = Gradients.collect()) {
                NDList out = block.forwardWithActivations(parameters, new NDList(state.inputs), true, taps);
                state.predictions = out.get(0);
                Map<String, NDArray> acts = new LinkedHashMap<>();
                for (int k = 0; k < taps.size(); k++) {
                    acts.put(taps.get(k), out.get(1 + k));
                }
                state.activations = acts;
                state.loss = loss.compute(state.predictions, state.labels);
                callbacks.forEach(c -> c.afterLoss(state));
                gc.backward(state.loss);
            }
            callbacks.forEach(c -> c.afterBackward(state));
            for (Parameter p : trainable) {
                NDArray w = p.getArray();
                try (NDArray g = w.getGradient()) {
                    optimizer.update(p.getId(), w, g);
                }
            }
            callbacks.forEach(c -> c.afterStep(state));
            float value = state.loss.getFloat();
            if (!Float.isFinite(value)) {
                throw new TrainingDivergedException("loss is " + value + " at epoch " + state.epoch + ", batch "
                        + state.batch + " (learning rate " + state.learningRate + "); lower the learning rate");
            }
            callbacks.forEach(c -> c.afterBatch(state));
            return value;
        } finally {
            state.batchManager = null;
            state.inputs = state.labels = state.predictions = state.loss = null;
            state.activations = Map.of();
        }
    }

    /** Loss and accuracy on the validation data. */
    public Evaluation validate() {
        if (valid == null) {
            throw new IllegalStateException("this learner has no validation data");
        }
        return Evaluator.evaluate(block, parameters, manager, valid, loss);
    }

    /** The model with its current (trained) weights and batch-norm statistics. */
    public Graph graph() {
        return block.toGraph();
    }

    public GraphBlock block() {
        return block;
    }

    public List<EpochResult> history() {
        return state.history();
    }

    @Override
    public void close() {
        manager.close();
    }

    /** A learning rate set by the learner before each step (schedules are pure functions of progress). */
    private static final class SettableRate implements Tracker {
        volatile float value;

        @Override
        public float getNewValue(int numUpdate) {
            return value;
        }
    }

    /** Builder in DJL's style: the graph and training data are required, everything else has a default. */
    public static final class Builder {
        private final Graph graph;
        private final DataLoader train;
        private DataLoader valid;
        private LossFunction loss = LossFunction.crossEntropy();
        private OptimizerSpec optimizer = OptimizerSpec.adam();
        private final List<Callback> callbacks = new ArrayList<>();
        private long seed = 42;

        private Builder(Graph graph, DataLoader train) {
            this.graph = Objects.requireNonNull(graph, "graph");
            this.train = Objects.requireNonNull(train, "train");
        }

        public Builder optValid(DataLoader v) { valid = v; return this; }
        public Builder optLoss(LossFunction v) { loss = Objects.requireNonNull(v); return this; }
        public Builder optOptimizer(OptimizerSpec v) { optimizer = Objects.requireNonNull(v); return this; }
        public Builder addCallback(Callback c) { callbacks.add(Objects.requireNonNull(c)); return this; }
        public Builder optSeed(long v) { seed = v; return this; }

        public Learner build() {
            return new Learner(this);
        }
    }
}
