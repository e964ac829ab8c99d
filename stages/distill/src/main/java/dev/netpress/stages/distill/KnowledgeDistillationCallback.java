package dev.netpress.stages.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.netpress.exec.GraphBlock;
import dev.netpress.exec.NoGrad;
import dev.netpress.exec.Scalars;
import dev.netpress.graph.Graph;
import dev.netpress.tensor.Dims;
import dev.netpress.train.Callback;
import dev.netpress.train.TrainingState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Trains the student against a teacher as well as the labels: after the task loss is computed,
 * the teacher (eval mode, no autograd, never updated) runs on the same batch and the loss becomes
 * {@code (1 − w)·task + w·distill}. Everything that can be checked from the two graphs — class
 * count, input shape, activation names and shapes — is checked when the callback is built, before
 * any training.
 */
public final class KnowledgeDistillationCallback implements Callback, AutoCloseable {
    private final Graph teacher;
    private final DistillLoss loss;
    private final double weight;
    private final boolean ramp;
    private final List<String> studentActs;
    private final List<String> teacherActs;
    private NDManager teacherManager;
    private GraphBlock teacherBlock;
    private ParameterStore teacherParams;
    private double lastDistillLoss = Double.NaN;

    public KnowledgeDistillationCallback(Graph student, Graph teacher, DistillLoss loss, double weight, boolean ramp,
            List<String> studentActs, List<String> teacherActs) {
        check(student, teacher, loss, studentActs, teacherActs);
        this.teacher = teacher;
        this.loss = loss;
        this.weight = weight;
        this.ramp = ramp;
        this.studentActs = List.copyOf(studentActs);
        this.teacherActs = List.copyOf(teacherActs);
    }

    static void check(Graph student, Graph teacher, DistillLoss loss, List<String> studentActs, List<String> teacherActs) {
        Dims so = student.shapeOf(student.outputs().get(0));
        Dims to = teacher.shapeOf(teacher.outputs().get(0));
        if (!so.equals(to)) {
            throw new IllegalArgumentException("teacher outputs " + to + " but the student outputs " + so
                    + ": they must predict the same classes");
        }
        Dims si = student.inputs().get(0).shape();
        Dims ti = teacher.inputs().get(0).shape();
        if (!si.equals(ti)) {
            throw new IllegalArgumentException("teacher takes inputs " + ti + " but the student takes " + si);
        }
        for (int i = 0; i < studentActs.size(); i++) {
            String s = studentActs.get(i);
            String t = teacherActs.get(i);
            if (!student.hasNode(s)) {
                throw new IllegalArgumentException("the student has no node '" + s + "' to take activations from");
            }
            if (!teacher.hasNode(t)) {
                throw new IllegalArgumentException("the teacher has no node '" + t + "' to take activations from");
            }
            Dims sd = student.shapeOf(s);
            Dims td = teacher.shapeOf(t);
            if (loss.needsEqualShapes() && !sd.equals(td)) {
                throw new IllegalArgumentException("activations '" + s + "' " + sd + " and '" + t + "' " + td
                        + " must have the same shape for this loss");
            }
            if (!loss.needsEqualShapes() && sd.rank() == 3 && td.rank() == 3
                    && (sd.get(1) != td.get(1) || sd.get(2) != td.get(2))) {
                throw new IllegalArgumentException("activations '" + s + "' " + sd + " and '" + t + "' " + td
                        + " must have the same spatial size");
            }
        }
    }

    @Override
    public Collection<String> activations() {
        return studentActs;
    }

    @Override
    public void beforeFit(TrainingState s) {
        close();
        teacherManager = NDManager.newBaseManager();
        teacherBlock = GraphBlock.create(teacher, teacherManager);
        teacherParams = new ParameterStore(teacherManager, false);
    }

    @Override
    public void afterLoss(TrainingState s) {
        NDList out;
        try (NoGrad g = NoGrad.enter()) {
            out = teacherBlock.forwardWithActivations(teacherParams, new NDList(s.inputs()), false, teacherActs);
        }
        List<NDArray> sActs = new ArrayList<>();
        studentActs.forEach(n -> sActs.add(s.activations().get(n)));
        NDArray distill = loss.compute(new DistillLoss.Batch(s.predictions(), out.get(0), s.labels(), sActs,
                out.subNDList(1)));
        lastDistillLoss = distill.getFloat();
        double w = ramp ? weight * s.pctTrain() : weight;
        s.setLoss(Scalars.mul(s.loss(), 1 - w).add(Scalars.mul(distill, w)));
    }

    /** The distillation term of the last batch (before weighting). */
    public double lastDistillLoss() {
        return lastDistillLoss;
    }

    @Override
    public void afterFit(TrainingState s) {
        close();
    }

    @Override
    public void close() {
        if (teacherManager != null) {
            teacherManager.close();
            teacherManager = null;
        }
    }
}
