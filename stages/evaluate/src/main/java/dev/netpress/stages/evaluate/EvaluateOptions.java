package dev.netpress.stages.evaluate;

/**
 * Options of the evaluate technique.
 *
 * @param warmup forward passes before timing starts
 * @param runs timed forward passes per measurement (batch 1; batch 64 uses a fifth as many)
 * @param rounds latency is measured in this many interleaved rounds of model and baseline, so
 *     background load affects both alike; the median of the rounds' medians is reported
 * @param gate the acceptance rule, or null for none
 */
public record EvaluateOptions(int warmup, int runs, int rounds, Gate gate) {
    public EvaluateOptions {
        if (warmup < 0 || runs < 5 || rounds < 1) {
            throw new IllegalArgumentException("evaluate needs warmup >= 0, runs >= 5 and rounds >= 1; got warmup "
                    + warmup + ", runs " + runs + ", rounds " + rounds);
        }
    }

    public static EvaluateOptions defaults() {
        return new EvaluateOptions(10, 50, 3, null);
    }

    public EvaluateOptions withGate(Gate g) {
        return new EvaluateOptions(warmup, runs, rounds, g);
    }
}
