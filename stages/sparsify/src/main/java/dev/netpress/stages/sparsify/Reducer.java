package dev.netpress.stages.sparsify;

/** Turns the scores of one group's weights into the group's score, from their sum and count. */
@FunctionalInterface
public interface Reducer {
    double reduce(double sum, int count);

    /** The sum of the group's scores: larger groups weigh more in a global ranking. */
    static Reducer sum() {
        return (sum, count) -> sum;
    }

    /** The mean of the group's scores (fasterai's default). */
    static Reducer mean() {
        return (sum, count) -> sum / count;
    }
}
