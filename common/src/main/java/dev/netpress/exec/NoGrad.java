package dev.netpress.exec;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns off autograd recording on this thread for a scope. libtorch's grad mode is
 * thread-local and DJL turns it off only on the thread that loads the engine, so every
 * inference on another thread (a stage worker, a benchmark) needs this to avoid building a
 * backward graph it will never use.
 */
public final class NoGrad implements AutoCloseable {
    private final boolean previous;

    private NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    public static NoGrad enter() {
        return new NoGrad();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
