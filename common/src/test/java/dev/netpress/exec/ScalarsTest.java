package dev.netpress.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.netpress.train.Gradients;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Gradients through constant arithmetic stay right when the garbage collector runs between the
 * forward and the backward pass and the freed memory is reused — what broke distillation now and
 * then in a busy JVM when the constants were DJL's (see {@link Scalars}). Replacing one of these
 * with DJL's {@code x.mul(3f)} makes this test fail.
 */
class ScalarsTest {
    private static final float[] X = {-2f, 0.5f, 3f, 8f};

    @Test
    void gradientsSurviveACollectionBetweenForwardAndBackward() throws InterruptedException {
        check(x -> Scalars.mul(x, 3), new float[] {3, 3, 3, 3});
        check(x -> Scalars.div(x, 4), new float[] {0.25f, 0.25f, 0.25f, 0.25f});
        check(x -> Scalars.pow(x, 2), new float[] {-4, 1, 6, 16});
        check(x -> Scalars.clamp(x, 0, 6), new float[] {0, 1, 1, 0});
        check(x -> Scalars.add(x, 5), new float[] {1, 1, 1, 1});
        check(x -> Scalars.sub(x, 5), new float[] {1, 1, 1, 1});
    }

    private static void check(UnaryOperator<NDArray> f, float[] expected) throws InterruptedException {
        for (int round = 0; round < 20; round++) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = m.create(X);
                x.setRequiresGradient(true);
                try (var gc = Gradients.collect()) {
                    NDArray y = f.apply(x).sum();
                    scribbleOverFreedMemory();
                    gc.backward(y);
                }
                assertArrayEquals(expected, x.getGradient().toFloatArray(), 1e-6f, "round " + round);
            }
        }
    }

    /** Frees unreachable direct buffers and fills what malloc hands out next with a value no gradient has. */
    private static void scribbleOverFreedMemory() throws InterruptedException {
        System.gc();
        Thread.sleep(5); // direct buffers are freed by the reference handler thread, just after the collection
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 4) * 4).order(ByteOrder.nativeOrder());
            while (b.remaining() >= 4) {
                b.putFloat(1e30f);
            }
            junk.add(b);
        }
    }
}
