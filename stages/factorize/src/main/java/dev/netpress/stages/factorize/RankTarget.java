package dev.netpress.stages.factorize;

/** How one layer's rank is chosen. */
sealed interface RankTarget {
    /** Exactly {@code rank} singular values are kept. */
    record Fixed(int rank) implements RankTarget {}

    /**
     * The smallest rank keeping {@code threshold} of the energy; ranks above {@code maxRank} would
     * not save parameters, so a search may stop there.
     */
    record Energy(double threshold, int maxRank) implements RankTarget {}

    /** {@code round((1 − p)·min(out, in))}, at least 1. */
    static int percentRank(double percentRemoved, int minDim) {
        return Math.max(1, (int) Math.round((1 - percentRemoved) * minDim));
    }

    /**
     * The smallest k ≥ 1 with {@code squares[0] + … + squares[k−1] ≥ threshold·total}, where
     * {@code squares} holds σᵢ² in descending order; {@code squares.length + 1} when all of them
     * fall short.
     */
    static int energyRank(double[] squares, double total, double threshold) {
        double goal = threshold * total;
        double sum = 0;
        for (int k = 1; k <= squares.length; k++) {
            sum += squares[k - 1];
            if (sum >= goal) {
                return k;
            }
        }
        return squares.length + 1;
    }

    /** The largest rank k with k·(in + out) &lt; in·out; 0 when even rank 1 does not save. */
    static int maxSavingRank(int out, int in) {
        return (int) (((long) out * in - 1) / ((long) out + in));
    }
}
