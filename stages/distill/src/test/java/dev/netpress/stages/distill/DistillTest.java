package dev.netpress.stages.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.data.DataLoader;
import dev.netpress.data.FashionMnist;
import dev.netpress.data.Pad;
import dev.netpress.data.Split;
import dev.netpress.graph.Graph;
import dev.netpress.tensor.Tensor;
import dev.netpress.train.Callback;
import dev.netpress.train.TrainingState;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DistillTest {
    private static final ZooConfig STUDENT = ZooConfig.fashionMnist().toBuilder().optWidth(0.125).optClassifierHidden(32).build();
    private static final ZooConfig TEACHER = ZooConfig.fashionMnist().toBuilder().optWidth(0.25).optClassifierHidden(64).optSeed(5).build();

    private static DataLoader data(int n, boolean shuffle) {
        return DataLoader.builder(FashionMnist.bundled(Split.TRAIN).first(n), 32).transform(new Pad(2)).shuffle(shuffle).seed(3).build();
    }

    @Test
    void shortRunLowersTheCombinedLossAndLeavesTheTeacherAlone() {
        Graph student = Zoo.build("vgg11_bn", STUDENT);
        Graph teacher = Zoo.build("vgg13_bn", TEACHER);
        Map<String, Tensor> teacherBefore = teacher.tensors();
        List<Double> epochLoss = new ArrayList<>();
        Callback record = new Callback() {
            @Override public void afterEpoch(TrainingState s) { epochLoss.add(s.lastEpoch().trainLoss()); }
        };
        DistillOptions o = DistillOptions.defaults().withLoss(LossKind.ATTENTION, List.of("features.10"), List.of("features.13"))
                .withTraining(3, 3e-3, 1);
        try (DataLoader train = data(256, true); DataLoader valid = data(64, false)) {
            DistillResult r = Distill.apply(student, teacher, train, valid, o, record);
            assertEquals(3, r.history().size());
            assertTrue(epochLoss.get(2) < epochLoss.get(0), "combined loss per epoch " + epochLoss);
            assertTrue(r.accuracy() >= 0 && r.accuracy() <= 1);
        }
        teacher.tensors().forEach((name, t) -> assertTrue(t.contentEquals(teacherBefore.get(name)), name));
    }

    @Test
    void softTargetsReplaceTheLossWithTheMixture() {
        Graph student = Zoo.build("vgg11_bn", STUDENT);
        Graph teacher = Zoo.build("vgg11_bn", TEACHER);
        List<double[]> seen = new ArrayList<>();
        KnowledgeDistillationCallback kd = new KnowledgeDistillationCallback(student, teacher, Losses.softTarget(5), 0.5,
                false, List.of(), List.of());
        Callback before = new Callback() {
            @Override public void afterLoss(TrainingState s) { seen.add(new double[] {s.loss().getFloat(), 0}); }
        };
        Callback after = new Callback() {
            @Override public void afterLoss(TrainingState s) { seen.get(seen.size() - 1)[1] = s.loss().getFloat(); }
        };
        try (DataLoader train = data(32, false);
                dev.netpress.train.Learner l = dev.netpress.train.Learner.builder(student, train)
                        .addCallback(before).addCallback(kd).addCallback(after).build()) {
            l.fit(1, 1e-3);
        }
        kd.close();
        double task = seen.get(0)[0];
        assertEquals(0.5 * task + 0.5 * kd.lastDistillLoss(), seen.get(0)[1], 1e-4);
    }

    @Test
    void mismatchedModelsAndNamesAreClearErrorsBeforeTraining() {
        Graph student = Zoo.build("vgg11_bn", STUDENT);
        Graph fiveClasses = Zoo.build("vgg11_bn", TEACHER.toBuilder().optNumClasses(5).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KnowledgeDistillationCallback(student, fiveClasses, Losses.softTarget(5), 0.5, false, List.of(), List.of()));
        assertTrue(e.getMessage().contains("same classes"), e.getMessage());

        Graph teacher = Zoo.build("vgg11_bn", TEACHER);
        e = assertThrows(IllegalArgumentException.class, () -> new KnowledgeDistillationCallback(student, teacher,
                Losses.fitnet(), 0.5, false, List.of("features.99"), List.of("features.0")));
        assertTrue(e.getMessage().contains("'features.99'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new KnowledgeDistillationCallback(student, teacher,
                Losses.fitnet(), 0.5, false, List.of("features.0"), List.of("features.0")));
        assertTrue(e.getMessage().contains("same shape"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DistillOptions.defaults()
                .withLoss(LossKind.FITNET, List.of(), List.of()));
        assertTrue(e.getMessage().contains("compares activations"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossKind.parse("soft"));
        assertTrue(e.getMessage().contains("soft_target"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DistillOptions.defaults().withWeight(1.5, false));
    }
}
