package dev.netpress.stages.distill;

import java.util.List;

/**
 * Options of knowledge distillation. Defaults follow fasterai: soft targets at T = 5 mixed
 * half-and-half with the task loss.
 *
 * @param loss which distillation loss
 * @param weight share of the distillation loss in the total, in [0, 1] (total = (1−w)·task + w·distill)
 * @param weightRamp when true the weight grows linearly from 0 to {@code weight} over training
 * @param temperature softening temperature (soft_target, decoupled)
 * @param alpha decoupled KD's target-class weight
 * @param beta decoupled KD's non-target weight
 * @param p attention map exponent
 * @param margin activation-boundary margin
 * @param studentActivations student node names whose outputs feature losses compare
 * @param teacherActivations teacher node names, pairwise with the student's
 * @param epochs training epochs
 * @param lr one-cycle maximum learning rate
 * @param seed seed of the run
 */
public record DistillOptions(LossKind loss, double weight, boolean weightRamp, double temperature, double alpha, double beta,
        double p, double margin, List<String> studentActivations, List<String> teacherActivations, int epochs, double lr,
        long seed) {

    public DistillOptions {
        studentActivations = List.copyOf(studentActivations);
        teacherActivations = List.copyOf(teacherActivations);
        if (weight < 0 || weight > 1) {
            throw new IllegalArgumentException("weight must be in [0, 1], got " + weight);
        }
        if (epochs < 1 || !(lr > 0)) {
            throw new IllegalArgumentException("distillation needs epochs >= 1 and lr > 0");
        }
        if (studentActivations.size() != teacherActivations.size()) {
            throw new IllegalArgumentException("student and teacher activations pair up: got " + studentActivations.size()
                    + " student and " + teacherActivations.size() + " teacher names");
        }
        // the components, not this record's accessors: fields are assigned only after this block
        DistillLoss probe = loss.create(temperature, alpha, beta, p, margin);
        if (probe.needsActivations() && studentActivations.isEmpty()) {
            throw new IllegalArgumentException(loss.wireName() + " compares activations: name them with "
                    + "studentActivations and teacherActivations");
        }
    }

    public static DistillOptions defaults() {
        return new DistillOptions(LossKind.SOFT_TARGET, 0.5, false, 5, 1, 8, 2, 1, List.of(), List.of(), 3, 1e-3, 42);
    }

    public DistillOptions withLoss(LossKind k, List<String> student, List<String> teacher) {
        return new DistillOptions(k, weight, weightRamp, temperature, alpha, beta, p, margin, student, teacher, epochs, lr, seed);
    }

    public DistillOptions withTraining(int newEpochs, double newLr, long newSeed) {
        return new DistillOptions(loss, weight, weightRamp, temperature, alpha, beta, p, margin, studentActivations,
                teacherActivations, newEpochs, newLr, newSeed);
    }

    public DistillOptions withWeight(double w, boolean ramp) {
        return new DistillOptions(loss, w, ramp, temperature, alpha, beta, p, margin, studentActivations,
                teacherActivations, epochs, lr, seed);
    }
}
