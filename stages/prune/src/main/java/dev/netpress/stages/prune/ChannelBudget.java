package dev.netpress.stages.prune;

import java.util.Comparator;
import java.util.stream.IntStream;

/** The limits every group's kept channel count obeys: max_ratio, round_to and never all channels. */
final class ChannelBudget {
    /** Absorbs floating-point noise such as 0.3 * 10 = 3.0000000000000004 before rounding down. */
    private static final double EPS = 1e-9;

    private final int roundTo;
    private final double maxRatio;

    ChannelBudget(int roundTo, double maxRatio) {
        this.roundTo = roundTo;
        this.maxRatio = maxRatio;
    }

    /** How many of {@code n} channels a share {@code ratio} is, rounded down. */
    static int share(double ratio, int n) {
        return (int) Math.floor(ratio * n + EPS);
    }

    /**
     * The channels a group of {@code size} keeps when {@code wanted} would be kept without limits:
     * at least {@code size - max_ratio * size}, at least round_to (and 1), rounded up to a
     * multiple of round_to; the whole group when that multiple exceeds it.
     */
    int kept(int size, int wanted) {
        int atLeast = Math.max(size - share(maxRatio, size), Math.max(1, Math.min(roundTo, size)));
        int k = Math.max(wanted, atLeast);
        int rounded = (k + roundTo - 1) / roundTo * roundTo;
        return Math.min(rounded, size);
    }

    /** The {@code k} best-scored channels in ascending order; ties keep the lower index. */
    static int[] best(double[] scores, int k) {
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(c -> -scores[c]).thenComparingInt(c -> c))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
    }
}
