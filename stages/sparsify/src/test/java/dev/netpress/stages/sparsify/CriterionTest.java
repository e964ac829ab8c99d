package dev.netpress.stages.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.tensor.Dims;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CriterionTest {
    private static final PrunableLayer LAYER = new PrunableLayer("fc", LayerKind.LINEAR, Dims.of(1, 4), false, List.of());
    private static final Granularity SINGLE = Granularity.over();

    private static final float[] W = {0.6f, -2.0f, 1.2f, -0.1f};
    private static final float[] W0 = {1.0f, -0.5f, 1.5f, 1.8f};
    private static final float[] G = {1f, 0.01f, -2f, 10f};
    private static final float[] OTHER = {9f, 9f, 9f, 9f};

    /** Weight indices from most to least worth keeping. */
    private static int[] ranking(float[] scores) {
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
                .mapToInt(Integer::intValue).toArray();
    }

    private static int[] rank(String criterion, LayerWeights w) {
        return ranking(Criterion.of(Registry.scoreFunction(criterion, 1)).groupScores(w, SINGLE));
    }

    @Test
    void eachCriterionRanksAHandMadeWeightAsFasteraiDefinesIt() {
        // |w| = .6 2 1.2 .1, |w0| = 1 .5 1.5 1.8, w·g = .6 -.02 -2.4 -1
        LayerWeights fromInit = new LayerWeights(LAYER, W, W0, OTHER, G, null);
        Map<String, int[]> expected = Map.ofEntries(
                Map.entry("large_final", new int[] {1, 2, 0, 3}),             // |w|
                Map.entry("small_final", new int[] {3, 0, 2, 1}),             // -|w|
                Map.entry("squared_final", new int[] {1, 2, 0, 3}),           // w²
                Map.entry("large_init", new int[] {3, 2, 0, 1}),              // |w0|
                Map.entry("small_init", new int[] {1, 0, 2, 3}),              // -|w0|
                Map.entry("large_init_large_final", new int[] {2, 0, 1, 3}),  // min = .6 .5 1.2 .1
                Map.entry("small_init_small_final", new int[] {0, 2, 3, 1}),  // -max = -1 -2 -1.5 -1.8
                Map.entry("magnitude_increase", new int[] {1, 2, 0, 3}),      // -.4 1.5 -.3 -1.7
                Map.entry("movement", new int[] {3, 1, 0, 2}),                // |w - w0| = .4 1.5 .3 1.9
                Map.entry("movmag", new int[] {1, 2, 0, 3}),                  // .24 3 .36 .19
                Map.entry("taylor", new int[] {2, 3, 0, 1}));                 // (w·g)² = .36 .0004 5.76 1
        expected.forEach((name, order) -> assertArrayEquals(order, rank(name, fromInit), name));

        // the updating_* variants read the weights of the previous pruning step instead of w0
        LayerWeights fromPrevious = new LayerWeights(LAYER, W, OTHER, W0, null, null);
        assertArrayEquals(expected.get("magnitude_increase"), rank("updating_magnitude_increase", fromPrevious));
        assertArrayEquals(expected.get("movement"), rank("updating_movement", fromPrevious));
        assertArrayEquals(expected.get("movmag"), rank("updating_movmag", fromPrevious));
    }

    @Test
    void taylorUsesTheGradientAndNeedsOne() {
        LayerWeights a = new LayerWeights(LAYER, W, null, null, G, null);
        LayerWeights b = new LayerWeights(LAYER, W, null, null, new float[] {10f, 1f, 0.01f, 0.01f}, null);
        assertArrayEquals(new int[] {2, 3, 0, 1}, rank("taylor", a));
        assertArrayEquals(new int[] {0, 1, 2, 3}, rank("taylor", b)); // (w·g)² = 36 4 1.4e-4 1e-6
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rank("taylor", LayerWeights.of(LAYER, W)));
        assertTrue(e.getMessage().contains("gradient"), e.getMessage());
        assertEquals(ScoreFunction.Operand.GRADIENT, Registry.scoreFunction("taylor", 0).operand());
    }

    @Test
    void randomIsSeeded() {
        LayerWeights w = LayerWeights.of(LAYER, W);
        float[] a = Registry.scoreFunction("random", 7).scores(w);
        assertArrayEquals(a, Registry.scoreFunction("random", 7).scores(w));
        assertFalse(java.util.Arrays.equals(a, Registry.scoreFunction("random", 8).scores(w)));
        for (float v : a) {
            assertTrue(v >= 0 && v < 1);
        }
    }

    @Test
    void scoresAreShiftedPositiveAndARemovedWeightScoresZero() {
        float[] small = Criterion.of(Registry.scoreFunction("small_final", 0)).groupScores(LayerWeights.of(LAYER, W), SINGLE);
        for (float v : small) {
            assertTrue(v > 0, "shifted: " + v);
        }
        // the largest weight, masked out, drops to the bottom even for large_final
        LayerWeights masked = new LayerWeights(LAYER, W, null, null, null, new float[] {1, 0, 1, 1});
        float[] s = Criterion.of(Registry.scoreFunction("large_final", 0)).groupScores(masked, SINGLE);
        assertEquals(0f, s[1]);
        assertArrayEquals(new int[] {2, 0, 3, 1}, ranking(s));
    }

    @Test
    void reducersCombineAGroupsScores() {
        PrunableLayer layer = new PrunableLayer("fc", LayerKind.LINEAR, Dims.of(2, 2), false, List.of());
        LayerWeights w = LayerWeights.of(layer, new float[] {1, -4, 2, 2});
        Granularity rows = Registry.granularity("row", LayerKind.LINEAR);
        Criterion mean = Criterion.of(Registry.scoreFunction("large_final", 0));
        float eps = Normalizer.EPS;
        assertArrayEquals(new float[] {2.5f + eps, 2 + eps}, mean.groupScores(w, rows), 1e-6f);
        assertArrayEquals(new float[] {5 + 2 * eps, 4 + 2 * eps}, new Criterion(mean.score(), Registry.reducer("sum"), mean.normalizer()).groupScores(w, rows), 1e-6f);
    }

    @Test
    void normalizersRescaleALayer() {
        float[] s = {1, 2, 3, 4};
        float eps = Normalizer.EPS;
        assertArrayEquals(s, Registry.normalizer("none").normalize(s));
        assertArrayEquals(new float[] {.1f, .2f, .3f, .4f}, Registry.normalizer("sum").normalize(s), 1e-6f);
        assertArrayEquals(new float[] {0, 1 / (3 + eps), 2 / (3 + eps), 3 / (3 + eps)},
                Registry.normalizer("standardization").normalize(s), 1e-6f);
        assertArrayEquals(new float[] {.4f, .8f, 1.2f, 1.6f}, Registry.normalizer("mean").normalize(s), 1e-6f);
        assertArrayEquals(new float[] {.25f, .5f, .75f, 1f}, Registry.normalizer("max").normalize(s), 1e-6f);
        double std = Math.sqrt(5.0 / 3); // unbiased, as torch.std
        float[] gauss = Registry.normalizer("gaussian").normalize(s);
        for (int i = 0; i < 4; i++) {
            assertEquals((s[i] - 2.5) / std, gauss[i], 1e-5);
        }
    }

    @Test
    void unknownNamesListTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Registry.scoreFunction("largest", 0));
        assertTrue(e.getMessage().startsWith("unknown criteria 'largest'; valid: random, large_final, small_final"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Registry.normalizer("l2"));
        assertEquals("unknown normalizer 'l2'; valid: none, sum, standardization, mean, max, gaussian", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Registry.reducer("max"));
        assertEquals("unknown reducer 'max'; valid: mean, sum", e.getMessage());
    }
}
