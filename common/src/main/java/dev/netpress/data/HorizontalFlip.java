package dev.netpress.data;

import java.util.random.RandomGenerator;

/** Mirrors the image left to right with probability {@code p}. */
public final class HorizontalFlip implements Transform {
    private final double p;

    public HorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("flip probability " + p + " is not in [0, 1]");
        }
        this.p = p;
    }

    @Override
    public Example apply(Example e, RandomGenerator random) {
        // draw even when p is 0 or 1, so that changing p does not shift the draws of later transforms
        if (random.nextDouble() >= p) {
            return e;
        }
        int w = e.width();
        int rows = e.channels() * e.height();
        float[] in = e.pixels();
        float[] out = new float[in.length];
        for (int r = 0; r < rows; r++) {
            for (int x = 0; x < w; x++) {
                out[r * w + x] = in[r * w + w - 1 - x];
            }
        }
        return e.withPixels(out, e.channels(), e.height(), w);
    }
}
