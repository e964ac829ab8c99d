package dev.netpress.stages.sparsify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static Schedule schedule(String name, double start, double end) {
        return new Schedule(Registry.curve(name, 3), start, end);
    }

    @Test
    void agpIsCubic() {
        Schedule s = schedule("agp", 0, 1);
        assertEquals(0, s.progress(0), 1e-12);
        assertEquals(0.875, s.progress(0.5), 1e-12);
        assertEquals(1, s.progress(1), 1e-12);
    }

    @Test
    void cosAndLin() {
        assertEquals(0, schedule("cos", 0, 1).progress(0), 1e-12);
        assertEquals(0.5, schedule("cos", 0, 1).progress(0.5), 1e-12);
        assertEquals((1 - Math.cos(Math.PI / 4)) / 2, schedule("cos", 0, 1).progress(0.25), 1e-12);
        assertEquals(1, schedule("cos", 0, 1).progress(1), 1e-12);
        assertEquals(0.3, schedule("lin", 0, 1).progress(0.3), 1e-12);
    }

    @Test
    void oneShotIsAStepAtTheStart() {
        Schedule s = schedule("one_shot", 0.5, 1);
        assertEquals(0, s.progress(0.4999));
        assertEquals(1, s.progress(0.5));
        assertEquals(1, s.progress(0.9));
        assertEquals(1, schedule("one_shot", 0, 1).progress(0));
    }

    @Test
    void iterativeTakesThreeEqualSteps() {
        Schedule s = schedule("iterative", 0, 1);
        assertEquals(0, s.progress(0), 1e-12);
        assertEquals(1.0 / 3, s.progress(0.01), 1e-12);
        assertEquals(1.0 / 3, s.progress(1.0 / 3), 1e-12);
        assertEquals(2.0 / 3, s.progress(0.5), 1e-12);
        assertEquals(1, s.progress(0.7), 1e-12);
        assertEquals(0.5, new Schedule(Registry.curve("iterative", 2), 0, 1).progress(0.5), 1e-12);
    }

    @Test
    void oneCycleIsALogisticRamp() {
        Schedule s = schedule("one_cycle", 0, 1);
        assertEquals((1 + Math.exp(-8)) / (1 + Math.exp(6)), s.progress(0), 1e-12);
        assertEquals(1, s.progress(1), 1e-12);
        assertEquals(0.5, s.progress(6.0 / 14), 1e-3); // the logistic's midpoint, at β/α
        double last = -1;
        for (double p = 0; p <= 1; p += 0.01) {
            assertTrue(s.progress(p) >= last);
            last = s.progress(p);
        }
    }

    @Test
    void dsdGoesSparseAndBackToDense() {
        Schedule s = schedule("dsd", 0, 1);
        assertEquals(0, s.progress(0), 1e-12);
        assertEquals(0.5, s.progress(0.25), 1e-12);
        assertEquals(1, s.progress(0.5), 1e-12);
        assertEquals(0.5, s.progress(0.75), 1e-12);
        assertEquals(0, s.progress(1), 1e-12);
    }

    @Test
    void startAndEndBoundTheRamp() {
        Schedule s = schedule("lin", 0.2, 0.6);
        assertEquals(0, s.progress(0.1));
        assertEquals(0, s.progress(0.2), 1e-12);
        assertEquals(0.5, s.progress(0.4), 1e-12);
        assertEquals(1, s.progress(0.6));
        assertEquals(1, s.progress(0.9));
        assertEquals(0.5, schedule("agp", 0.5, 1).progress(0.5 + 0.5 * (1 - Math.cbrt(0.5))), 1e-12);
    }

    @Test
    void badBoundsAndStepsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> schedule("lin", 0.6, 0.6));
        assertThrows(IllegalArgumentException.class, () -> schedule("lin", -0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> schedule("lin", 0, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Registry.curve("iterative", 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Registry.curve("linear", 3));
        assertEquals("unknown schedule 'linear'; valid: one_shot, iterative, agp, one_cycle, cos, lin, dsd", e.getMessage());
    }
}
