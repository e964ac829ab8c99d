package dev.netpress.stages.sparsify;

/**
 * How far sparsification has got, as a pure function of the fraction of training done: 0 means
 * dense, 1 the final sparsity. Before {@code start} it is 0; from {@code end} on it is the curve's
 * value at 1 (the final sparsity, or dense again for dsd); in between the {@link Curve} runs over
 * the span rescaled to [0, 1]. An immutable value, created per job.
 *
 * @param curve the shape of the ramp
 * @param start fraction of training where the ramp begins, in [0, 1)
 * @param end fraction of training where it ends, in (start, 1]
 */
public record Schedule(Curve curve, double start, double end) {
    public Schedule {
        java.util.Objects.requireNonNull(curve, "curve");
        if (!(start >= 0 && start < 1)) {
            throw new IllegalArgumentException("schedule start must be in [0, 1), got " + start);
        }
        if (!(end > start && end <= 1)) {
            throw new IllegalArgumentException("schedule end must be in (start, 1] = (" + start + ", 1], got " + end);
        }
    }

    /** The fraction of the final sparsity to hold at {@code pctTrain} in [0, 1]. */
    public double progress(double pctTrain) {
        if (pctTrain < start) {
            return 0;
        }
        if (pctTrain >= end) {
            return curve.at(1);
        }
        return curve.at((pctTrain - start) / (end - start));
    }

    /**
     * The ramp of a schedule: position in its span, [0, 1], to fraction of the final sparsity.
     * The curves follow fasterai's {@code sched_*} functions with start value 0 and end value 1.
     */
    @FunctionalInterface
    public interface Curve {
        double at(double pos);

        /** The whole sparsity at once, as soon as the span begins. */
        static Curve oneShot() {
            return pos -> 1;
        }

        /** {@code steps} equal jumps: {@code ceil(pos·steps) / steps}. */
        static Curve iterative(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("iterative schedule needs at least 1 step, got " + steps);
            }
            return pos -> Math.ceil(pos * steps) / steps;
        }

        /** Automated gradual pruning (Zhu and Gupta, 2017): {@code 1 - (1 - pos)³}, fast first, then slower. */
        static Curve agp() {
            return pos -> 1 - Math.pow(1 - pos, 3);
        }

        /**
         * A logistic ramp, {@code (1 + e^(β-α)) / (1 + e^(β-α·pos))} with α = 14, β = 6: slow, steep
         * around pos ≈ 0.43, then flat (fasterai's one_cycle).
         */
        static Curve oneCycle() {
            double alpha = 14;
            double beta = 6;
            return pos -> (1 + Math.exp(beta - alpha)) / (1 + Math.exp(beta - alpha * pos));
        }

        /** Half a cosine: {@code (1 + cos(π(1 - pos))) / 2}. */
        static Curve cos() {
            return pos -> (1 + Math.cos(Math.PI * (1 - pos))) / 2;
        }

        static Curve lin() {
            return pos -> pos;
        }

        /**
         * Dense-sparse-dense (Han et al., 2017): up to the final sparsity at mid-span along a
         * cosine, then back down to dense: {@code (1 + cos(π(1 - 2·pos))) / 2}.
         */
        static Curve dsd() {
            return pos -> (1 + Math.cos(Math.PI * (1 - 2 * pos))) / 2;
        }
    }
}
