package dev.netpress.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.netpress.data.DataLoader;
import dev.netpress.data.FashionMnist;
import dev.netpress.data.Pad;
import dev.netpress.data.Split;
import dev.netpress.graph.Graph;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearnerTest {
    private static Graph tiny() {
        return Zoo.build("vgg11_bn", ZooConfig.fashionMnist().toBuilder().optWidth(0.125).optClassifierHidden(32).build());
    }

    private static DataLoader loader(int n, int batch, boolean shuffle) {
        return DataLoader.builder(FashionMnist.bundled(Split.TRAIN).first(n), batch).transform(new Pad(2))
                .shuffle(shuffle).seed(5).build();
    }

    @Test
    void callbacksFireInFastaiOrderAndSeeTheBatch() {
        List<String> events = new ArrayList<>();
        Callback recorder = new Callback() {
            @Override public void beforeFit(TrainingState s) { events.add("beforeFit"); }
            @Override public void beforeEpoch(TrainingState s) { events.add("beforeEpoch"); }
            @Override public void beforeBatch(TrainingState s) { events.add("beforeBatch:" + s.inputs().getShape()); }
            @Override public void afterLoss(TrainingState s) { events.add("afterLoss"); }
            @Override public void afterBackward(TrainingState s) { events.add("afterBackward"); }
            @Override public void afterStep(TrainingState s) { events.add("afterStep"); }
            @Override public void afterBatch(TrainingState s) { events.add("afterBatch"); }
            @Override public void afterEpoch(TrainingState s) { events.add("afterEpoch:" + s.lastEpoch().epoch()); }
            @Override public void afterFit(TrainingState s) { events.add("afterFit"); }
        };
        try (DataLoader train = loader(64, 32, false); DataLoader valid = loader(32, 32, false);
                Learner l = Learner.builder(tiny(), train).optValid(valid).addCallback(recorder).build()) {
            l.fit(1, 1e-3);
        }
        List<String> batch = List.of("beforeBatch:(32, 1, 32, 32)", "afterLoss", "afterBackward", "afterStep", "afterBatch");
        List<String> expected = new ArrayList<>(List.of("beforeFit", "beforeEpoch"));
        expected.addAll(batch);
        expected.addAll(batch);
        expected.addAll(List.of("afterEpoch:0", "afterFit"));
        assertEquals(expected, events);
    }

    @Test
    void aCallbackCanReplaceTheLossAndReadActivations() {
        List<long[]> shapes = new ArrayList<>();
        Callback zeroLoss = new Callback() {
            @Override public List<String> activations() { return List.of("features.0"); }
            @Override public void afterLoss(TrainingState s) {
                shapes.add(s.activations().get("features.0").getShape().getShape());
                s.setLoss(s.loss().mul(0)); // no gradient signal: weights may only move by weight decay
            }
        };
        Graph g = tiny();
        try (DataLoader train = loader(32, 32, false);
                Learner l = Learner.builder(g, train).optOptimizer(OptimizerSpec.adam(0)).addCallback(zeroLoss).build()) {
            l.fit(1, 1e-2);
            assertArrayEquals(g.node("features.0").param("weight").toFloats(), l.graph().node("features.0").param("weight").toFloats());
        }
        assertArrayEquals(new long[] {32, 8, 32, 32}, shapes.get(0)); // 64 channels at width 1/8
    }

    @Test
    void trainingMovesWeightsAndLowersTheLoss() {
        try (DataLoader train = loader(256, 32, true); Learner l = Learner.builder(tiny(), train).build()) {
            Graph before = l.graph();
            List<EpochResult> r = l.fit(3, 3e-3);
            assertTrue(r.get(2).trainLoss() < r.get(0).trainLoss(), r.toString());
            assertFalse(before.node("classifier.6").param("weight").contentEquals(l.graph().node("classifier.6").param("weight")));
            assertTrue(Double.isNaN(r.get(0).accuracy()), "no validation data, no accuracy");
        }
    }

    @Test
    void sameSeedSameResult() {
        float[][] weights = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (DataLoader train = loader(128, 32, true); Learner l = Learner.builder(tiny(), train).optSeed(9).build()) {
                l.fit(1, 1e-3);
                weights[run] = l.graph().node("classifier.6").param("weight").toFloats();
            }
        }
        for (int i = 0; i < weights[0].length; i++) {
            assertEquals(weights[0][i], weights[1][i], 1e-5, "weight " + i);
        }
    }

    @Test
    void divergenceIsReportedNotHidden() {
        try (DataLoader train = loader(64, 32, false);
                Learner l = Learner.builder(tiny(), train).addCallback(new Callback() {
                    @Override public void afterLoss(TrainingState s) {
                        NDArray nan = s.batchManager().create(Float.NaN);
                        s.setLoss(s.loss().add(nan));
                    }
                }).build()) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> l.fit(1, 1e-3));
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        }
    }

    @Test
    void oneCycleScheduleHasFastaisShape() {
        LrSchedule s = LrSchedule.oneCycle(1e-3);
        assertEquals(1e-3 / 25, s.at(0), 1e-12);
        assertEquals(1e-3, s.at(0.25), 1e-12);
        assertEquals((1e-3 + 1e-3 / 25) / 2, s.at(0.125), 1e-12); // halfway up the cosine
        assertEquals(1e-3 / 25 / 1e5, s.at(1), 1e-15);
        assertTrue(s.at(0.6) < s.at(0.4));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.oneCycle(0));
    }

    @Test
    void fitRefusesZeroEpochs() {
        try (DataLoader train = loader(32, 32, false); Learner l = Learner.builder(tiny(), train).build()) {
            assertThrows(IllegalArgumentException.class, () -> l.fit(0, 1e-3));
            assertThrows(IllegalStateException.class, l::validate);
        }
    }

    @Test
    void twoTrainingsInOneJvmTakeTurnsInsteadOfFailing() throws Exception {
        // DJL's engine allows one open gradient collector per process; without Gradients' lock one of these throws
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread thread = new Thread(() -> {
                try (DataLoader train = loader(128, 16, true); Learner l = Learner.builder(tiny(), train).build()) {
                    assertEquals(1, l.fit(1, 1e-3).size());
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(120_000);
        }
        assertEquals(List.of(), failures);
    }
}
