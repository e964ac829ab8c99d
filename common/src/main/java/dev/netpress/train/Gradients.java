package dev.netpress.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one way to open a gradient collector here. DJL's PyTorch engine allows a single open
 * collector per process (a static flag: a second one throws "already collecting"), so two trainings
 * in one JVM — two replicas of a stage, or two stages busy with different models — would fail each
 * other's steps. Each collector holds a process-wide fair lock from open to close: trainings take
 * turns step by step instead.
 */
public final class Gradients {
    private static final ReentrantLock LOCK = new ReentrantLock(true);

    private Gradients() {}

    /** Opens a collector, waiting while another thread's is open. */
    public static GradientCollector collect() {
        LOCK.lock();
        try {
            return new Locked(Engine.getInstance().newGradientCollector());
        } catch (RuntimeException | Error e) {
            LOCK.unlock();
            throw e;
        }
    }

    private static final class Locked implements GradientCollector {
        private final GradientCollector inner;
        private boolean closed;

        Locked(GradientCollector inner) {
            this.inner = inner;
        }

        @Override
        public void backward(NDArray target) {
            inner.backward(target);
        }

        @Override
        public void zeroGradients() {
            inner.zeroGradients();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                inner.close();
            } finally {
                LOCK.unlock();
            }
        }
    }
}
