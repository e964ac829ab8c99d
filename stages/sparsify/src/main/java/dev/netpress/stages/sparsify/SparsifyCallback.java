package dev.netpress.stages.sparsify;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.netpress.exec.NoGrad;
import dev.netpress.graph.Graph;
import dev.netpress.stages.sparsify.ScoreFunction.Operand;
import dev.netpress.tensor.Tensor;
import dev.netpress.train.Callback;
import dev.netpress.train.EpochResult;
import dev.netpress.train.TrainingState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sparsifies a model while it trains, following a {@link SparsityTarget}'s schedule (fasterai's
 * SparsifyCallback).
 *
 * <p>Each batch has a position in the schedule: its index over the fit's batches minus one, so
 * the first batch sits at 0 and the last at 1 and the last step trains at the final sparsity.
 * Whenever the target there differs from the one in force, the masks are recomputed, at
 * afterBackward, where the batch's gradient is at hand for gradient criteria. After every
 * optimizer step the masks are multiplied into the weights again, so removed weights stay zero
 * whatever the optimizer's momentum says.
 *
 * <p>Lottery tickets ({@link LotteryTicket}): the trainable parameters are saved at the start of
 * the rewind epoch; with {@code lth} every pruning step rewinds them to that point under the new
 * mask; {@code resetEnd} does so once at the end; tickets go to the given consumer. Batch-norm
 * running statistics are not rewound.
 *
 * <p>One log line per epoch gives the sparsity reached (groups removed against the target, and
 * zero weights), and the end of training logs a table per layer ({@link #report()}).
 */
public final class SparsifyCallback implements Callback {
    private final Sparsifier sparsifier;
    private final SparsityTarget target;
    private final LotteryTicket lottery;
    private final Consumer<String> log;
    private final Consumer<Ticket> tickets;

    private List<PrunableLayer> layers;
    private Map<String, Parameter> parameters;
    private Map<String, float[]> init;
    private Map<String, float[]> previous;
    private Map<String, float[]> rewindPoint;
    private Map<String, Double> inForce;
    private Masks masks;
    private LiveMasks live;
    private boolean prunedThisBatch;
    private int steps;
    private SparsityReport report;

    /**
     * @param log receives the progress lines
     * @param tickets receives lottery tickets when {@code lottery.saveTickets()}
     */
    public SparsifyCallback(Sparsifier sparsifier, SparsityTarget target, LotteryTicket lottery, Consumer<String> log,
            Consumer<Ticket> tickets) {
        this.sparsifier = Objects.requireNonNull(sparsifier, "sparsifier");
        this.target = Objects.requireNonNull(target, "target");
        this.lottery = Objects.requireNonNull(lottery, "lottery");
        this.log = Objects.requireNonNull(log, "log");
        this.tickets = Objects.requireNonNull(tickets, "tickets");
    }

    @Override
    public void beforeFit(TrainingState s) {
        layers = sparsifier.layers(s.block().graph());
        if (layers.isEmpty()) {
            throw new IllegalStateException("the model has no layer of the kinds to sparsify " + sparsifier.kinds());
        }
        for (String name : target.perLayer().keySet()) {
            if (layers.stream().noneMatch(l -> l.name().equals(name))) {
                throw new IllegalStateException("layer '" + name + "' of the sparsity map is not a layer to sparsify");
            }
        }
        if (lottery.needsRewindPoint() && lottery.rewindEpoch() >= s.epochs()) {
            throw new IllegalStateException("rewind epoch " + lottery.rewindEpoch() + " is not within the "
                    + s.epochs() + " epochs of training");
        }
        parameters = s.block().parametersByTensorName();
        Operand operand = sparsifier.criterion().operand();
        init = operand == Operand.INIT || operand == Operand.PREVIOUS ? readWeights() : null;
        previous = operand == Operand.PREVIOUS ? init : null;
        rewindPoint = null;
        inForce = target.dense(layers);
        masks = new Masks(layers.stream().map(LayerMask::dense).toList());
        closeLive();
        steps = 0;
        report = null;
        log.accept(String.format(Locale.ROOT, "sparsifying %d layers to %s", layers.size(), describe(target.finals(layers))));
    }

    @Override
    public void beforeEpoch(TrainingState s) {
        if (lottery.needsRewindPoint() && s.epoch() == lottery.rewindEpoch()) {
            rewindPoint = new LinkedHashMap<>();
            for (String name : s.block().trainableTensorNames()) {
                rewindPoint.put(name, parameters.get(name).getArray().toFloatArray());
            }
        }
    }

    @Override
    public void afterBackward(TrainingState s) {
        long total = (long) s.epochs() * s.batchesPerEpoch();
        double position = total <= 1 ? 1 : (double) s.iteration() / (total - 1);
        Map<String, Double> wanted = target.at(position, layers);
        if (wanted.equals(inForce)) {
            return;
        }
        List<LayerWeights> weights = currentWeights();
        masks = sparsifier.masks(s.block().graph(), weights, wanted);
        closeLive();
        live = new LiveMasks(masks, s.manager());
        inForce = wanted;
        steps++;
        prunedThisBatch = true;
        if (previous != null) {
            previous = maskedWeights(weights);
        }
    }

    @Override
    public void afterStep(TrainingState s) {
        if (prunedThisBatch && lottery.lth()) {
            rewind();
        }
        if (live != null) {
            live.applyTo(parameters);
        }
        if (prunedThisBatch && lottery.lth() && lottery.saveTickets()) {
            tickets.accept(ticket(s.block().toGraph()));
        }
        prunedThisBatch = false;
    }

    @Override
    public void afterEpoch(TrainingState s) {
        EpochResult r = s.lastEpoch();
        log.accept(String.format(Locale.ROOT, "epoch %d: %.2f%% of groups removed (target %s), %.2f%% of weights zero, "
                + "valid accuracy %.4f", r.epoch(), masks.removedPercent(), describe(inForce), liveReport().overall(),
                r.accuracy()));
    }

    @Override
    public void afterFit(TrainingState s) {
        if (lottery.resetEnd()) {
            rewind();
            if (live != null) {
                live.applyTo(parameters);
            }
        }
        if (lottery.saveTickets()) {
            tickets.accept(ticket(asRewound(s.block().toGraph())));
        }
        report = liveReport();
        closeLive();
        log.accept("sparsity after " + steps + " pruning steps:\n" + report.format());
    }

    /** The masks in force (dense before the first pruning step). */
    public Masks masks() {
        return masks;
    }

    /** How many times the masks were recomputed in the last fit. */
    public int pruningSteps() {
        return steps;
    }

    /** Sparsity per layer at the end of the last fit; null before one has ended. */
    public SparsityReport report() {
        return report;
    }

    @SuppressWarnings("try") // NoGrad is used for its scope
    private void rewind() {
        if (rewindPoint == null) {
            throw new IllegalStateException("no weights saved to rewind to: the rewind epoch " + lottery.rewindEpoch()
                    + " has not started yet");
        }
        try (NoGrad g = NoGrad.enter()) {
            rewindPoint.forEach((name, values) -> parameters.get(name).getArray().set(values));
        }
    }

    private Ticket ticket(Graph graph) {
        return new Ticket(steps, SparsityReport.of(graph, layers).overall(), graph);
    }

    /** The graph with its trainable tensors replaced by the rewind point, under the masks. */
    private Graph asRewound(Graph graph) {
        if (rewindPoint == null) {
            throw new IllegalStateException("no weights were saved at rewind epoch " + lottery.rewindEpoch());
        }
        Graph rewound = graph.mapNodes(n -> {
            Map<String, Tensor> p = new LinkedHashMap<>(n.params());
            p.replaceAll((role, t) -> {
                float[] saved = rewindPoint.get(n.tensorName(role));
                return saved == null ? t : Tensor.ofFloats(t.shape(), saved);
            });
            return n.withParams(p);
        });
        return masks.applyTo(rewound);
    }

    private List<LayerWeights> currentWeights() {
        boolean needsGradient = sparsifier.criterion().operand() == Operand.GRADIENT;
        Map<String, Mask> byTensor = masks.byTensor();
        List<LayerWeights> out = new ArrayList<>();
        for (PrunableLayer l : layers) {
            NDArray w = parameters.get(l.weightName()).getArray();
            float[] gradient = null;
            if (needsGradient) {
                try (NDArray g = w.getGradient()) {
                    gradient = g.toFloatArray();
                }
            }
            out.add(new LayerWeights(l, w.toFloatArray(), init == null ? null : init.get(l.name()),
                    previous == null ? null : previous.get(l.name()), gradient,
                    byTensor.get(l.weightName()).expand(l.weightShape())));
        }
        return out;
    }

    private Map<String, float[]> maskedWeights(List<LayerWeights> weights) {
        Map<String, Mask> byTensor = masks.byTensor();
        Map<String, float[]> out = new HashMap<>();
        for (LayerWeights lw : weights) {
            float[] m = byTensor.get(lw.layer().weightName()).expand(lw.layer().weightShape());
            float[] v = lw.weight().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] *= m[i];
            }
            out.put(lw.layer().name(), v);
        }
        return out;
    }

    private Map<String, float[]> readWeights() {
        Map<String, float[]> m = new HashMap<>();
        for (PrunableLayer l : layers) {
            m.put(l.name(), parameters.get(l.weightName()).getArray().toFloatArray());
        }
        return m;
    }

    private SparsityReport liveReport() {
        return new SparsityReport(layers.stream()
                .map(l -> SparsityReport.Layer.of(l, parameters.get(l.weightName()).getArray().toFloatArray())).toList());
    }

    private void closeLive() {
        if (live != null) {
            live.close();
            live = null;
        }
    }

    /** One percentage when all layers share it, else the range. */
    private static String describe(Map<String, Double> percents) {
        double min = percents.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = percents.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return min == max ? String.format(Locale.ROOT, "%.2f%%", min)
                : String.format(Locale.ROOT, "%.2f%%–%.2f%% by layer", min, max);
    }
}
