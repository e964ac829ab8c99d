package dev.netpress.stages.distill;

import dev.netpress.data.DataLoader;
import dev.netpress.graph.Graph;
import dev.netpress.train.Callback;
import dev.netpress.train.EpochResult;
import dev.netpress.train.Learner;
import java.util.List;

/** Knowledge distillation as a technique: a student and a teacher graph in, the trained student out. */
public final class Distill {
    private Distill() {}

    public static DistillResult apply(Graph student, Graph teacher, DataLoader train, DataLoader valid, DistillOptions o,
            Callback... extra) {
        try (KnowledgeDistillationCallback kd = new KnowledgeDistillationCallback(student, teacher, o.loss().create(o),
                o.weight(), o.weightRamp(), o.studentActivations(), o.teacherActivations())) {
            Learner.Builder b = Learner.builder(student, train).optValid(valid).optSeed(o.seed()).addCallback(kd);
            for (Callback c : extra) {
                b.addCallback(c);
            }
            try (Learner learner = b.build()) {
                List<EpochResult> history = learner.fitOneCycle(o.epochs(), o.lr());
                return new DistillResult(learner.graph(), history);
            }
        }
    }
}
