package dev.netpress.train;

/** Learning rate as a pure function of the fraction of training done, in [0, 1]. */
@FunctionalInterface
public interface LrSchedule {
    double at(double pct);

    static LrSchedule constant(double lr) {
        return pct -> lr;
    }

    /**
     * fastai's one-cycle policy: cosine warm-up from {@code maxLr / 25} to {@code maxLr} over the
     * first quarter, then cosine annealing to {@code maxLr / 25e5}.
     */
    static LrSchedule oneCycle(double maxLr) {
        return oneCycle(maxLr, 0.25, 25, 1e5);
    }

    static LrSchedule oneCycle(double maxLr, double pctStart, double divStart, double divFinal) {
        if (!(maxLr > 0) || pctStart <= 0 || pctStart >= 1) {
            throw new IllegalArgumentException("one-cycle needs maxLr > 0 and 0 < pctStart < 1");
        }
        double start = maxLr / divStart;
        double end = start / divFinal;
        return pct -> pct < pctStart
                ? cosine(start, maxLr, pct / pctStart)
                : cosine(maxLr, end, (pct - pctStart) / (1 - pctStart));
    }

    private static double cosine(double from, double to, double t) {
        return to + (from - to) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, t)))) / 2;
    }
}
