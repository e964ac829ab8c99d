package dev.netpress.stages.sparsify;

import static dev.netpress.stages.sparsify.ScoreFunction.Operand.GRADIENT;
import static dev.netpress.stages.sparsify.ScoreFunction.Operand.INIT;
import static dev.netpress.stages.sparsify.ScoreFunction.Operand.NONE;
import static dev.netpress.stages.sparsify.ScoreFunction.Operand.PREVIOUS;

import dev.netpress.stages.sparsify.Schedule.Curve;
import dev.netpress.stages.sparsify.ScoreFunction.Formula;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.LongFunction;

/**
 * Every name the sparsify technique understands, and what it stands for: the only place names
 * are defined, so options and command lines resolve through here and an unknown name fails with
 * the list of valid ones. Granularities, criteria and schedules follow fasterai's names and
 * definitions.
 *
 * <h2>Granularities</h2>
 * Given as the weight axes a group spans (see {@link Granularity}). Conv2d, weight
 * {@code [O, I, KH, KW]}: {@code weight} (none: single weights), {@code shared_weight} (O),
 * {@code channel} (I: the vector across input channels at one output and kernel position),
 * {@code column} (KH), {@code row} (KW), {@code kernel} (KH, KW), {@code filter} (I, KH, KW),
 * {@code vertical_slice} (I, KH), {@code horizontal_slice} (I, KW), {@code shared_channel} (O, I),
 * {@code shared_column} (O, KH), {@code shared_row} (O, KW), {@code shared_vertical_slice}
 * (O, I, KH), {@code shared_horizontal_slice} (O, I, KW), {@code shared_kernel} (O, KH, KW: a
 * whole input channel), {@code layer} (all). Linear, weight {@code [O, I]}: {@code weight},
 * {@code column} (O: one input feature), {@code row} (I: one output unit), {@code layer}. Both:
 * {@code group}, whole output units scored and removed per channel group of the graph, so that
 * channels tied by residual adds or depthwise convs go together ({@link Granularity#channelGroups}).
 *
 * <h2>Criteria</h2>
 * Scores per weight {@code w}, with {@code w0} the weight when sparsification began,
 * {@code wp} the weight after the previous pruning step and {@code g} the last gradient:
 * <ul>
 *   <li>{@code large_final} |w|; {@code small_final} −|w|; {@code squared_final} w²
 *   <li>{@code random}: seeded uniform noise
 *   <li>{@code large_init} |w0|; {@code small_init} −|w0|
 *   <li>{@code large_init_large_final} min(|w|, |w0|); {@code small_init_small_final} −max(|w|, |w0|)
 *   <li>{@code magnitude_increase} |w| − |w0|; {@code movement} |w − w0|; {@code movmag} |w·(w − w0)|
 *   <li>{@code updating_magnitude_increase}, {@code updating_movement}, {@code updating_movmag}: the
 *       same with {@code wp} in place of {@code w0}
 *   <li>{@code taylor}: first-order Taylor, (w·g)² (Molchanov et al., 2019; fasterai's grad_crit)
 * </ul>
 * Reducers over a group: {@code mean} (default), {@code sum}. Normalizers over a layer:
 * {@code none} (default), {@code sum}, {@code standardization}, {@code mean}, {@code max},
 * {@code gaussian} (see {@link Normalizer}).
 *
 * <h2>Contexts, schedules, layer types</h2>
 * Contexts {@code local}, {@code global} ({@link Context.Local}, {@link Context.Global}); schedules {@code one_shot},
 * {@code iterative}, {@code agp}, {@code one_cycle}, {@code cos}, {@code lin}, {@code dsd}
 * ({@link Curve}); layer types {@code conv2d}, {@code linear}, {@code both}.
 */
public final class Registry {
    private static final Map<LayerKind, Choices<Granularity>> GRANULARITIES = new EnumMap<>(LayerKind.class);
    private static final Choices<Set<LayerKind>> LAYER_TYPES = new Choices<>("layer type");
    private static final Choices<Context> CONTEXTS = new Choices<>("context");
    private static final Choices<Reducer> REDUCERS = new Choices<>("reducer");
    private static final Choices<Normalizer> NORMALIZERS = new Choices<>("normalizer");
    private static final Choices<LongFunction<ScoreFunction>> CRITERIA = new Choices<>("criteria");
    private static final Choices<IntFunction<Curve>> SCHEDULES = new Choices<>("schedule");

    private static final Formula MAGNITUDE_INCREASE = (w, r) -> Math.abs(w) - Math.abs(r);
    private static final Formula MOVEMENT = (w, r) -> Math.abs(w - r);
    private static final Formula MOVMAG = (w, r) -> Math.abs(w * (w - r));

    static {
        GRANULARITIES.put(LayerKind.CONV2D, new Choices<Granularity>("granularity", "for conv2d layers")
                .add("weight", Granularity.over())
                .add("shared_weight", Granularity.over(0))
                .add("channel", Granularity.over(1))
                .add("column", Granularity.over(2))
                .add("row", Granularity.over(3))
                .add("kernel", Granularity.over(2, 3))
                .add("filter", Granularity.over(1, 2, 3))
                .add("vertical_slice", Granularity.over(1, 2))
                .add("horizontal_slice", Granularity.over(1, 3))
                .add("shared_channel", Granularity.over(0, 1))
                .add("shared_column", Granularity.over(0, 2))
                .add("shared_row", Granularity.over(0, 3))
                .add("shared_vertical_slice", Granularity.over(0, 1, 2))
                .add("shared_horizontal_slice", Granularity.over(0, 1, 3))
                .add("shared_kernel", Granularity.over(0, 2, 3))
                .add("layer", Granularity.over(0, 1, 2, 3))
                .add("group", Granularity.channelGroups(4)));
        GRANULARITIES.put(LayerKind.LINEAR, new Choices<Granularity>("granularity", "for linear layers")
                .add("weight", Granularity.over())
                .add("column", Granularity.over(0))
                .add("row", Granularity.over(1))
                .add("layer", Granularity.over(0, 1))
                .add("group", Granularity.channelGroups(2)));

        LAYER_TYPES.add("conv2d", Set.of(LayerKind.CONV2D)).add("linear", Set.of(LayerKind.LINEAR))
                .add("both", Set.of(LayerKind.CONV2D, LayerKind.LINEAR));
        CONTEXTS.add("local", new Context.Local()).add("global", new Context.Global());
        REDUCERS.add("mean", Reducer.mean()).add("sum", Reducer.sum());
        NORMALIZERS.add("none", Normalizer.none()).add("sum", Normalizer.sum())
                .add("standardization", Normalizer.standardization()).add("mean", Normalizer.mean())
                .add("max", Normalizer.max()).add("gaussian", Normalizer.gaussian());

        CRITERIA.add("random", ScoreFunction::random)
                .add("large_final", seed -> ScoreFunction.of(NONE, (w, x) -> Math.abs(w)))
                .add("small_final", seed -> ScoreFunction.of(NONE, (w, x) -> -Math.abs(w)))
                .add("squared_final", seed -> ScoreFunction.of(NONE, (w, x) -> w * w))
                .add("large_init", seed -> ScoreFunction.of(INIT, (w, w0) -> Math.abs(w0)))
                .add("small_init", seed -> ScoreFunction.of(INIT, (w, w0) -> -Math.abs(w0)))
                .add("large_init_large_final", seed -> ScoreFunction.of(INIT, (w, w0) -> Math.min(Math.abs(w), Math.abs(w0))))
                .add("small_init_small_final", seed -> ScoreFunction.of(INIT, (w, w0) -> -Math.max(Math.abs(w), Math.abs(w0))))
                .add("magnitude_increase", seed -> ScoreFunction.of(INIT, MAGNITUDE_INCREASE))
                .add("movement", seed -> ScoreFunction.of(INIT, MOVEMENT))
                .add("movmag", seed -> ScoreFunction.of(INIT, MOVMAG))
                .add("updating_magnitude_increase", seed -> ScoreFunction.of(PREVIOUS, MAGNITUDE_INCREASE))
                .add("updating_movement", seed -> ScoreFunction.of(PREVIOUS, MOVEMENT))
                .add("updating_movmag", seed -> ScoreFunction.of(PREVIOUS, MOVMAG))
                .add("taylor", seed -> ScoreFunction.of(GRADIENT, (w, g) -> (w * g) * (w * g)));

        SCHEDULES.add("one_shot", steps -> Curve.oneShot())
                .add("iterative", Curve::iterative)
                .add("agp", steps -> Curve.agp())
                .add("one_cycle", steps -> Curve.oneCycle())
                .add("cos", steps -> Curve.cos())
                .add("lin", steps -> Curve.lin())
                .add("dsd", steps -> Curve.dsd());
    }

    private Registry() {}

    /** The granularity of this name for a kind of layer; fails naming the kind's valid granularities. */
    public static Granularity granularity(String name, LayerKind kind) {
        return GRANULARITIES.get(kind).get(name);
    }

    /** The kinds of layer a layer type ({@code conv2d}, {@code linear}, {@code both}) selects. */
    public static Set<LayerKind> layerKinds(String layerType) {
        return LAYER_TYPES.get(layerType);
    }

    public static Context context(String name) {
        return CONTEXTS.get(name);
    }

    public static Reducer reducer(String name) {
        return REDUCERS.get(name);
    }

    public static Normalizer normalizer(String name) {
        return NORMALIZERS.get(name);
    }

    /** The score function of a criterion; {@code seed} drives {@code random} only. */
    public static ScoreFunction scoreFunction(String name, long seed) {
        return CRITERIA.get(name).apply(seed);
    }

    /** A criterion composed from its score function, reducer and normalizer names. */
    public static Criterion criterion(String name, String reducer, String normalizer, long seed) {
        return new Criterion(scoreFunction(name, seed), reducer(reducer), normalizer(normalizer));
    }

    /** The curve of a schedule; {@code steps} is the step count of {@code iterative} and ignored otherwise. */
    public static Curve curve(String name, int steps) {
        return SCHEDULES.get(name).apply(steps);
    }

    /** Every registered name by what it names, for help texts. */
    public static Map<String, List<String>> names() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        GRANULARITIES.forEach((k, c) -> m.put("granularity (" + k.name().toLowerCase(java.util.Locale.ROOT) + ")", c.names()));
        m.put("context", CONTEXTS.names());
        m.put("criteria", CRITERIA.names());
        m.put("reducer", REDUCERS.names());
        m.put("normalizer", NORMALIZERS.names());
        m.put("schedule", SCHEDULES.names());
        m.put("layer type", LAYER_TYPES.names());
        return m;
    }
}
