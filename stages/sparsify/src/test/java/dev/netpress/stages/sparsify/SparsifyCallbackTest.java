package dev.netpress.stages.sparsify;

import static dev.netpress.stages.sparsify.TestGraphs.loader;
import static dev.netpress.stages.sparsify.TestGraphs.tinyVgg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.data.DataLoader;
import dev.netpress.graph.Graph;
import dev.netpress.tensor.Dims;
import dev.netpress.train.Callback;
import dev.netpress.train.Learner;
import dev.netpress.train.TrainingState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparsifyCallbackTest {
    private static SparsifyCallback callback(SparsifyOptions o, List<String> log, List<Ticket> tickets) {
        return new SparsifyCallback(o.sparsifier(), o.target(), o.lottery(), log::add, tickets::add);
    }

    private static Map<String, float[]> trainable(TrainingState s) {
        Map<String, float[]> m = new HashMap<>();
        for (String name : s.block().trainableTensorNames()) {
            m.put(name, s.block().parametersByTensorName().get(name).getArray().toFloatArray());
        }
        return m;
    }

    /** {@code values} times the mask of {@code name}, if it has one. */
    private static float[] masked(float[] values, String name, Masks masks, Dims shape) {
        Mask m = masks.byTensor().get(name);
        if (m == null) {
            return values;
        }
        float[] e = m.expand(shape);
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= e[i];
        }
        return out;
    }

    private static Dims shapeOf(Graph g, String tensor) {
        return g.tensors().get(tensor).shape();
    }

    @Test
    void masksFollowTheScheduleAndHoldAfterEveryStep() {
        SparsifyOptions o = SparsifyOptions.builder().optGranularity("filter").optSchedule("cos").build();
        List<String> log = new ArrayList<>();
        SparsifyCallback cb = callback(o, log, new ArrayList<>());
        int[] checkedSteps = {0};
        Callback probe = new Callback() {
            @Override
            public void afterStep(TrainingState s) {
                cb.masks().byTensor().forEach((name, mask) -> {
                    float[] w = s.block().parametersByTensorName().get(name).getArray().toFloatArray();
                    float[] m = mask.expand(shapeOf(s.block().graph(), name));
                    for (int i = 0; i < w.length; i++) {
                        assertTrue(m[i] != 0f || w[i] == 0f, name + "[" + i + "] is masked but " + w[i]);
                    }
                });
                checkedSteps[0]++;
            }
        };
        try (DataLoader train = loader(64, 16, true);
                Learner l = Learner.builder(tinyVgg(), train).addCallback(cb).addCallback(probe).build()) {
            l.fit(1, 1e-3);
            assertEquals(4, checkedSteps[0]);
            assertEquals(3, cb.pruningSteps(), "cos is 0 at the first batch, then changes at every one");
            for (SparsityReport.Layer layer : cb.report().layers()) {
                assertEquals(layer.units() / 2, layer.deadUnits(), layer.name());
            }
            Graph g = l.graph();
            for (SparsityReport.Layer layer : SparsityReport.of(g, o.sparsifier().layers(g)).layers()) {
                assertEquals(layer.units() / 2, layer.deadUnits(), "the trained graph keeps the zeros: " + layer.name());
            }
        }
        assertTrue(log.get(0).startsWith("sparsifying 8 layers to 50.00%"), log.get(0));
        assertTrue(log.get(1).startsWith("epoch 0: 50.00% of groups removed (target 50.00%), 50.00% of weights zero"),
                log.get(1));
        assertTrue(log.get(2).contains("features.0"), log.get(2));
    }

    @Test
    void lotteryTicketRewindsToTheSavedWeightsUnderTheMaskExactly() {
        // 2 epochs of 2 batches; one-shot at mid-training prunes at batch 2, the first of epoch 1
        SparsifyOptions o = SparsifyOptions.builder().optGranularity("kernel").optSparsity(60).optSchedule("one_shot")
                .optStart(0.5).optEpochs(2).optLth(true).optRewindEpoch(0).optSaveTickets(true).optResetEnd(true).build();
        List<Ticket> tickets = new ArrayList<>();
        SparsifyCallback cb = callback(o, new ArrayList<>(), tickets);
        Map<String, float[]> saved = new HashMap<>();
        Map<String, float[]> beforeStep = new HashMap<>();
        List<Integer> checkedAt = new ArrayList<>();
        Callback probe = new Callback() {
            @Override
            public void beforeEpoch(TrainingState s) {
                if (s.epoch() == 0) {
                    saved.putAll(trainable(s));
                }
            }

            @Override
            public void afterBackward(TrainingState s) {
                beforeStep.putAll(trainable(s));
            }

            @Override
            public void afterStep(TrainingState s) {
                if (cb.pruningSteps() == 1 && checkedAt.isEmpty()) {
                    checkedAt.add((int) s.iteration());
                    Map<String, float[]> now = trainable(s);
                    saved.forEach((name, values) -> assertArrayEquals(
                            masked(values, name, cb.masks(), shapeOf(s.block().graph(), name)), now.get(name), name));
                    assertFalse(java.util.Arrays.equals(beforeStep.get("features.0.weight"), now.get("features.0.weight")),
                            "the rewind undid 2 steps of training");
                }
            }
        };
        Graph result;
        try (DataLoader train = loader(32, 16, true);
                Learner l = Learner.builder(tinyVgg(), train).addCallback(cb).addCallback(probe).build()) {
            l.fit(2, 1e-3);
            result = l.graph();
        }
        assertEquals(List.of(2), checkedAt);
        assertEquals(1, cb.pruningSteps());
        // reset_end: the final model is the ticket, the saved weights under the final mask
        saved.forEach((name, values) -> assertArrayEquals(masked(values, name, cb.masks(), shapeOf(result, name)),
                result.tensors().get(name).toFloats(), name));
        assertEquals(2, tickets.size(), "one ticket per pruning step and a final one");
        for (Ticket t : tickets) {
            assertEquals(1, t.step());
            saved.forEach((name, values) -> assertArrayEquals(masked(values, name, cb.masks(), shapeOf(result, name)),
                    t.graph().tensors().get(name).toFloats(), name));
            assertEquals(60, t.sparsity(), 1);
        }
    }

    @Test
    void gradientAndHistoryCriteriaWorkDuringTraining() {
        for (String criteria : List.of("taylor", "movement", "updating_movement")) {
            SparsifyOptions o = SparsifyOptions.builder().optGranularity("filter").optCriteria(criteria)
                    .optSchedule("iterative").build();
            SparsifyCallback cb = callback(o, new ArrayList<>(), new ArrayList<>());
            try (DataLoader train = loader(64, 16, true); Learner l = Learner.builder(tinyVgg(), train).addCallback(cb).build()) {
                l.fit(1, 1e-3);
            }
            assertEquals(3, cb.pruningSteps(), criteria + ": iterative prunes in 3 steps");
            assertNotNull(cb.report());
            for (SparsityReport.Layer layer : cb.report().layers()) {
                assertEquals(layer.units() / 2, layer.deadUnits(), criteria + " " + layer.name());
            }
        }
    }
}
