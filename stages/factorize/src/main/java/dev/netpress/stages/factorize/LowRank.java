package dev.netpress.stages.factorize;

/**
 * A weight W [out, in] written as {@code second·first}: {@code first} [rank, in] and
 * {@code second} [out, rank], row-major. When the rank a target needs would not save parameters
 * there are no factors: {@code rank} is then the rank needed, or a lower bound of it when
 * {@code rankIsLowerBound}; from a randomized SVD's energy search both are estimates.
 *
 * @param relativeError ‖W − second·first‖_F / ‖W‖_F (0 for a zero weight); NaN without factors
 */
record LowRank(int rank, boolean rankIsLowerBound, float[] first, float[] second, double relativeError,
        boolean randomized) {

    static LowRank of(int rank, float[] first, float[] second, double relativeError, boolean randomized) {
        return new LowRank(rank, false, first, second, relativeError, randomized);
    }

    static LowRank tooLarge(int rank, boolean lowerBound, boolean randomized) {
        return new LowRank(rank, lowerBound, null, null, Double.NaN, randomized);
    }

    boolean factored() {
        return first != null;
    }
}
