package dev.netpress.stages.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.netpress.exec.Scalars;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The distillation losses, after fasterai's definitions (KL divergences are "batchmean": summed
 * over classes, averaged over the batch). Every constant that autograd may keep goes through
 * {@link Scalars} (see there why DJL's {@code x.mul(2f)} is not safe to differentiate through).
 */
public final class Losses {
    private Losses() {}

    /** Hinton et al.: KL(softmax(t/T) ‖ softmax(s/T)) · T². */
    public static DistillLoss softTarget(double temperature) {
        positive("temperature", temperature);
        return b -> Scalars.mul(kl(Scalars.div(b.student(), temperature), Scalars.div(b.teacher(), temperature)),
                temperature * temperature);
    }

    /** Regression on the logits: mean squared error. */
    public static DistillLoss logits() {
        return b -> b.student().sub(b.teacher()).square().mean();
    }

    /** Deep mutual learning's term: KL(softmax(t) ‖ softmax(s)). */
    public static DistillLoss mutual() {
        return b -> kl(b.student(), b.teacher());
    }

    /**
     * Zhao et al.'s decoupled KD: α·TCKD (target vs rest, binary) + β·NCKD (among the non-target
     * classes), both at temperature T and scaled by T².
     */
    public static DistillLoss decoupled(double alpha, double beta, double temperature) {
        positive("temperature", temperature);
        return b -> {
            NDArray s = Scalars.div(b.student(), temperature);
            NDArray t = Scalars.div(b.teacher(), temperature);
            NDArray gt = b.labels().oneHot((int) s.getShape().get(1)).toType(DataType.FLOAT32, false);
            NDArray ps = s.softmax(1);
            NDArray pt = t.softmax(1);
            NDArray bs = binary(ps, gt);
            NDArray bt = binary(pt, gt);
            NDArray tckd = bt.mul(bt.log().sub(bs.log())).sum(new int[] {1}).mean();
            // masking the target logit out by a large negative offset leaves the other classes' distribution
            NDArray mask = Scalars.mul(gt, 1000);
            NDArray nckd = kl(s.sub(mask), t.sub(mask));
            return Scalars.mul(Scalars.mul(tckd, alpha).add(Scalars.mul(nckd, beta)), temperature * temperature);
        };
    }

    /** Zagoruyko & Komodakis: squared distance of L2-normalised spatial attention maps (mean of |a|^p over channels). */
    public static DistillLoss attention(double p) {
        positive("p", p);
        return new FeatureLoss(false, (s, t) -> attentionMap(s, p).sub(attentionMap(t, p)).square().mean());
    }

    /** Romero et al.'s FitNet: mean squared error between activations of the same shape. */
    public static DistillLoss fitnet() {
        return new FeatureLoss(true, (s, t) -> s.sub(t).square().mean());
    }

    /** Tung & Mori: distance of the row-normalised batch similarity matrices F·Fᵀ. */
    public static DistillLoss similarity() {
        return new FeatureLoss(false, (s, t) -> similarityMatrix(s).sub(similarityMatrix(t)).square().mean());
    }

    /** Heo et al.: hinge on the activation boundary — student pre-activations must share the teacher's sign with margin m. */
    public static DistillLoss activationBoundaries(double margin) {
        positive("margin", margin);
        return new FeatureLoss(true, (s, t) -> {
            NDArray teacherOn = t.gt(0).toType(DataType.FLOAT32, false);
            NDArray teacherOff = Scalars.add(teacherOn.neg(), 1);
            NDArray pushUp = Scalars.add(s, margin).square().mul(s.gt((float) -margin).toType(DataType.FLOAT32, false)).mul(teacherOff);
            NDArray pushDown = Scalars.sub(s, margin).square().mul(s.lte((float) margin).toType(DataType.FLOAT32, false)).mul(teacherOn);
            return pushUp.add(pushDown).mean();
        });
    }

    /** batchmean KL(softmax(teacher) ‖ softmax(student)) from logits. */
    static NDArray kl(NDArray studentLogits, NDArray teacherLogits) {
        NDArray logPs = studentLogits.logSoftmax(1);
        NDArray logPt = teacherLogits.logSoftmax(1);
        return logPt.exp().mul(logPt.sub(logPs)).sum(new int[] {1}).mean();
    }

    private static NDArray binary(NDArray p, NDArray gt) {
        NDArray target = p.mul(gt).sum(new int[] {1}, true);
        NDArray rest = p.mul(Scalars.add(gt.neg(), 1)).sum(new int[] {1}, true);
        return Scalars.clamp(target.concat(rest, 1), 1e-12, 1);
    }

    static NDArray attentionMap(NDArray x, double p) {
        long batch = x.getShape().get(0);
        NDArray a = Scalars.pow(x.abs(), p).mean(new int[] {1}).reshape(batch, -1);
        return a.div(Scalars.add(a.norm(new int[] {1}, true), 1e-12));
    }

    static NDArray similarityMatrix(NDArray x) {
        long batch = x.getShape().get(0);
        NDArray f = x.reshape(batch, -1);
        NDArray g = f.matMul(f.transpose());
        return g.div(Scalars.add(g.norm(new int[] {1}, true), 1e-12));
    }

    private static void positive(String name, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be positive, got %s", name, v));
        }
    }

    /** A loss summed over matched activation pairs. */
    private record FeatureLoss(boolean equalShapes, BiFunction<NDArray, NDArray, NDArray> pair) implements DistillLoss {
        @Override
        public NDArray compute(Batch b) {
            List<NDArray> s = b.studentActs();
            List<NDArray> t = b.teacherActs();
            NDArray sum = pair.apply(s.get(0), t.get(0));
            for (int i = 1; i < s.size(); i++) {
                sum = sum.add(pair.apply(s.get(i), t.get(i)));
            }
            return sum;
        }

        @Override
        public boolean needsActivations() {
            return true;
        }

        @Override
        public boolean needsEqualShapes() {
            return equalShapes;
        }
    }
}
