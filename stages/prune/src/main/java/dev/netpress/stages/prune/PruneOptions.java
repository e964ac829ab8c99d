package dev.netpress.stages.prune;

import dev.netpress.graph.deps.Reducer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What to prune and how. Validated on construction, so a bad option fails before any work.
 *
 * @param mode {@code zeroed} removes the channels a filter-granularity sparsifier zeroed (outputs
 *     stay equal); {@code structured} removes a share of every group's channels by importance
 * @param ratio the share of channels to remove, in (0, 1); structured mode only (0 in zeroed mode)
 * @param importance how structured mode ranks channels
 * @param reducer how a channel's scores over the member slices of its group combine
 * @param context {@code local}: every group loses {@code ratio} of its channels; {@code global}:
 *     one threshold over all groups' scores, each normalised by its group's mean, so groups lose
 *     different shares
 * @param roundTo kept channel counts are rounded up to a multiple of this, and are at least this
 *     (a group smaller than it, or that cannot reach a multiple below its size, keeps all channels)
 * @param maxRatio the largest share of any group that may be removed, in (0, 1]
 * @param seed seed of the {@code random} importance
 * @param taylorBatches batches of data whose loss gradient the {@code taylor} importance uses
 */
public record PruneOptions(Mode mode, double ratio, Importance importance, Reducer reducer, Context context,
        int roundTo, double maxRatio, long seed, int taylorBatches) {

    /** Which channels go. */
    public enum Mode {
        ZEROED, STRUCTURED;

        public static Mode parse(String s) {
            return PruneOptions.parse(Mode.class, "mode", s);
        }
    }

    /** How structured mode ranks a group's channels; L1 and L2 use every trainable member slice. */
    public enum Importance {
        /** L1 norm of each channel's weights in every trainable member slice. */
        L1,
        /** L2 norm of each channel's weights in every trainable member slice. */
        L2,
        /** |gamma| of the group's batch norms (network slimming); groups without one are left whole. */
        BN_SCALE,
        /** |Σ w·∂L/∂w| per member slice, from the cross-entropy gradient on supplied data. */
        TAYLOR,
        /** Seeded random scores: a baseline. */
        RANDOM;

        public static Importance parse(String s) {
            return PruneOptions.parse(Importance.class, "importance", s);
        }
    }

    /** Whether the removal share applies per group or across groups. */
    public enum Context {
        LOCAL, GLOBAL;

        public static Context parse(String s) {
            return PruneOptions.parse(Context.class, "context", s);
        }
    }

    public PruneOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(importance, "importance");
        Objects.requireNonNull(reducer, "reducer");
        Objects.requireNonNull(context, "context");
        if (mode == Mode.STRUCTURED && !(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException("ratio must be in (0, 1) for structured pruning, got " + ratio);
        }
        if (mode == Mode.ZEROED && ratio != 0) {
            throw new IllegalArgumentException("ratio applies to structured pruning only; zeroed pruning removes "
                    + "exactly the all-zero channels (got ratio " + ratio + ")");
        }
        if (roundTo < 1) {
            throw new IllegalArgumentException("round_to must be at least 1, got " + roundTo);
        }
        if (!(maxRatio > 0 && maxRatio <= 1)) {
            throw new IllegalArgumentException("max_ratio must be in (0, 1], got " + maxRatio);
        }
        if (taylorBatches < 1) {
            throw new IllegalArgumentException("taylor_batches must be at least 1, got " + taylorBatches);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@link Prune#apply(dev.netpress.graph.Graph, PruneOptions, dev.netpress.data.DataLoader)} needs data. */
    public boolean needsData() {
        return mode == Mode.STRUCTURED && importance == Importance.TAYLOR;
    }

    /** Reads an option value by its lower-case name ({@code bn_scale}), failing with the accepted names. */
    static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        Objects.requireNonNull(value, option);
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(value.trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + option + " '" + value + "'; expected one of "
                + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
    }

    /**
     * Builder in DJL's style. Defaults: zeroed mode; for structured mode, L2 importance, mean
     * reducer, local context; round_to 1, max_ratio 1, seed 0, one Taylor batch.
     */
    public static final class Builder {
        private Mode mode = Mode.ZEROED;
        private double ratio;
        private Importance importance = Importance.L2;
        private Reducer reducer = Reducer.MEAN;
        private Context context = Context.LOCAL;
        private int roundTo = 1;
        private double maxRatio = 1;
        private long seed;
        private int taylorBatches = 1;

        private Builder() {}

        public Builder mode(Mode v) { mode = v; return this; }
        public Builder mode(String v) { return mode(Mode.parse(v)); }
        /** Structured mode removing {@code v} of the channels. */
        public Builder structured(double v) { mode = Mode.STRUCTURED; ratio = v; return this; }
        public Builder ratio(double v) { ratio = v; return this; }
        public Builder importance(Importance v) { importance = v; return this; }
        public Builder importance(String v) { return importance(Importance.parse(v)); }
        public Builder reducer(Reducer v) { reducer = v; return this; }
        public Builder reducer(String v) { return reducer(parse(Reducer.class, "reducer", v)); }
        public Builder context(Context v) { context = v; return this; }
        public Builder context(String v) { return context(Context.parse(v)); }
        public Builder roundTo(int v) { roundTo = v; return this; }
        public Builder maxRatio(double v) { maxRatio = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder taylorBatches(int v) { taylorBatches = v; return this; }

        public PruneOptions build() {
            return new PruneOptions(mode, ratio, importance, reducer, context, roundTo, maxRatio, seed, taylorBatches);
        }
    }
}
