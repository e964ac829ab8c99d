package dev.netpress.stages.sparsify;

import dev.netpress.graph.Graph;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a sparsify job is told, validated when built so that a bad option fails before any
 * training starts. Names (granularity, context, criteria, reducer, normalizer, schedule, layer
 * type) resolve through the {@link Registry}.
 *
 * @param sparsity final sparsity in percent, in [0, 100)
 * @param granularity what is removed together, e.g. {@code weight}, {@code kernel}, {@code filter}
 * @param context {@code local} or {@code global}
 * @param criteria what is worth keeping, e.g. {@code large_final}, {@code movement}, {@code taylor}
 * @param reducer how a group's scores combine: {@code mean} or {@code sum}
 * @param normalizer how a layer's scores are rescaled, e.g. {@code none}, {@code max}
 * @param schedule how sparsity ramps up: {@code one_shot}, {@code iterative}, {@code agp},
 *     {@code one_cycle}, {@code cos}, {@code lin}, {@code dsd}
 * @param steps step count of the iterative schedule
 * @param start fraction of training where the schedule starts
 * @param end fraction of training where it reaches its end value
 * @param lth lottery ticket: rewind the weights after every pruning step
 * @param rewindEpoch epoch at whose start the weights to rewind to are saved
 * @param resetEnd rewind to the saved weights, under the final mask, when training ends
 * @param saveTickets hand out lottery tickets
 * @param roundTo kept groups per layer are rounded up to a multiple of this (1: none)
 * @param nm an N:M pattern such as 2:4, or null for none
 * @param layerType which layers to sparsify: {@code conv2d}, {@code linear} or {@code both}
 * @param layerSparsity per-layer final sparsity (local context only); other layers take {@code sparsity}
 * @param epochs fine-tuning epochs
 * @param lr peak learning rate of the one-cycle fine-tuning
 * @param seed seed of training and of the random criterion
 */
public record SparsifyOptions(double sparsity, String granularity, String context, String criteria, String reducer,
        String normalizer, String schedule, int steps, double start, double end, boolean lth, int rewindEpoch,
        boolean resetEnd, boolean saveTickets, int roundTo, NmPattern nm, String layerType,
        Map<String, Double> layerSparsity, int epochs, double lr, long seed) {

    /** Checks every option on its own and against the others. */
    public SparsifyOptions {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        layerSparsity = Map.copyOf(Objects.requireNonNull(layerSparsity, "layerSparsity"));
        SparsityTarget target = new SparsityTarget(sparsity, layerSparsity, new Schedule(
                Registry.curve(Objects.requireNonNull(schedule, "schedule"), steps), start, end));
        Objects.requireNonNull(granularity, "granularity");
        Set<LayerKind> kinds = Registry.layerKinds(Objects.requireNonNull(layerType, "layerType"));
        boolean singleWeights = true;
        for (LayerKind k : kinds) {
            singleWeights &= Registry.granularity(granularity, k).axes().length == 0;
        }
        Context ctx = Registry.context(Objects.requireNonNull(context, "context"));
        Registry.criterion(Objects.requireNonNull(criteria, "criteria"), Objects.requireNonNull(reducer, "reducer"),
                Objects.requireNonNull(normalizer, "normalizer"), seed);
        if (!ctx.perLayer() && !layerSparsity.isEmpty()) {
            throw new IllegalArgumentException("a per-layer sparsity map needs a per-layer context such as local; "
                    + "context '" + context + "' draws one threshold for all layers");
        }
        if (roundTo < 1) {
            throw new IllegalArgumentException("round_to must be at least 1, got " + roundTo);
        }
        if (nm != null && (!singleWeights || !ctx.perLayer() || roundTo != 1)) {
            throw new IllegalArgumentException("N:M sparsity " + nm.n() + ":" + nm.m() + " picks single weights within "
                    + "each layer: it needs a single-weight granularity (weight), a per-layer context (local) and "
                    + "round_to 1");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        }
        LotteryTicket lottery = new LotteryTicket(lth, rewindEpoch, resetEnd, saveTickets);
        if (lottery.needsRewindPoint()) {
            if (rewindEpoch >= epochs) {
                throw new IllegalArgumentException("rewind_epoch " + rewindEpoch + " is not within the " + epochs
                        + " epochs of training");
            }
            double startEpoch = target.schedule().start() * epochs;
            if (rewindEpoch > startEpoch) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "rewind_epoch %d is after the schedule "
                        + "start (epoch %.2f = start %.2f × %d epochs): the weights to rewind to must be saved before "
                        + "the first pruning step", rewindEpoch, startEpoch, start, epochs));
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return builder().optSparsity(sparsity).optGranularity(granularity).optContext(context).optCriteria(criteria)
                .optReducer(reducer).optNormalizer(normalizer).optSchedule(schedule).optSteps(steps).optStart(start)
                .optEnd(end).optLth(lth).optRewindEpoch(rewindEpoch).optResetEnd(resetEnd).optSaveTickets(saveTickets)
                .optRoundTo(roundTo).optNm(nm).optLayerType(layerType).optLayerSparsity(layerSparsity)
                .optEpochs(epochs).optLr(lr).optSeed(seed);
    }

    /**
     * Checks the options against a graph: it must have layers of the chosen type, and every layer
     * of the sparsity map must be one of them.
     */
    public void validateFor(Graph graph) {
        List<PrunableLayer> layers = PrunableLayer.find(graph, Registry.layerKinds(layerType));
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("the model has no " + layerType + " layer to sparsify");
        }
        for (String name : layerSparsity.keySet()) {
            if (layers.stream().noneMatch(l -> l.name().equals(name))) {
                throw new IllegalArgumentException("layer '" + name + "' of the sparsity map is not a " + layerType
                        + " layer of the model; they are " + String.join(", ", layers.stream().map(PrunableLayer::name).toList()));
            }
        }
    }

    /** The sparsifier these options describe. */
    public Sparsifier sparsifier() {
        Set<LayerKind> kinds = Registry.layerKinds(layerType);
        Map<LayerKind, Granularity> g = new EnumMap<>(LayerKind.class);
        kinds.forEach(k -> g.put(k, Registry.granularity(granularity, k)));
        return new Sparsifier(kinds, g, Registry.context(context), Registry.criterion(criteria, reducer, normalizer, seed),
                roundTo, nm);
    }

    public SparsityTarget target() {
        return new SparsityTarget(sparsity, layerSparsity, new Schedule(Registry.curve(schedule, steps), start, end));
    }

    public LotteryTicket lottery() {
        return new LotteryTicket(lth, rewindEpoch, resetEnd, saveTickets);
    }

    /** Builder in DJL's style; every option has a default (50% of single conv weights, local, large_final, one_cycle). */
    public static final class Builder {
        private double sparsity = 50;
        private String granularity = "weight";
        private String context = "local";
        private String criteria = "large_final";
        private String reducer = "mean";
        private String normalizer = "none";
        private String schedule = "one_cycle";
        private int steps = 3;
        private double start = 0;
        private double end = 1;
        private boolean lth;
        private int rewindEpoch;
        private boolean resetEnd;
        private boolean saveTickets;
        private int roundTo = 1;
        private NmPattern nm;
        private String layerType = "conv2d";
        private Map<String, Double> layerSparsity = Map.of();
        private int epochs = 2;
        private double lr = 1e-4;
        private long seed = 42;

        private Builder() {}

        public Builder optSparsity(double v) { sparsity = v; return this; }
        public Builder optGranularity(String v) { granularity = v; return this; }
        public Builder optContext(String v) { context = v; return this; }
        public Builder optCriteria(String v) { criteria = v; return this; }
        public Builder optReducer(String v) { reducer = v; return this; }
        public Builder optNormalizer(String v) { normalizer = v; return this; }
        public Builder optSchedule(String v) { schedule = v; return this; }
        public Builder optSteps(int v) { steps = v; return this; }
        public Builder optStart(double v) { start = v; return this; }
        public Builder optEnd(double v) { end = v; return this; }
        public Builder optLth(boolean v) { lth = v; return this; }
        public Builder optRewindEpoch(int v) { rewindEpoch = v; return this; }
        public Builder optResetEnd(boolean v) { resetEnd = v; return this; }
        public Builder optSaveTickets(boolean v) { saveTickets = v; return this; }
        public Builder optRoundTo(int v) { roundTo = v; return this; }
        public Builder optNm(NmPattern v) { nm = v; return this; }
        public Builder optLayerType(String v) { layerType = v; return this; }
        public Builder optLayerSparsity(Map<String, Double> v) { layerSparsity = v; return this; }
        public Builder optEpochs(int v) { epochs = v; return this; }
        public Builder optLr(double v) { lr = v; return this; }
        public Builder optSeed(long v) { seed = v; return this; }

        public SparsifyOptions build() {
            return new SparsifyOptions(sparsity, granularity, context, criteria, reducer, normalizer, schedule, steps,
                    start, end, lth, rewindEpoch, resetEnd, saveTickets, roundTo, nm, layerType, layerSparsity, epochs,
                    lr, seed);
        }
    }
}
