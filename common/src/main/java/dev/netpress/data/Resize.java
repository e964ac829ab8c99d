package dev.netpress.data;

import java.util.random.RandomGenerator;

/** Resizes to a fixed height and width with bilinear resampling (antialiased when shrinking); ignores aspect ratio. */
public final class Resize implements Transform {
    private final int height;
    private final int width;

    public Resize(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Resize to " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
    }

    @Override
    public Example apply(Example e, RandomGenerator random) {
        if (e.height() == height && e.width() == width) {
            return e;
        }
        float[] out = Resampler.resize(e.pixels(), e.channels(), e.height(), e.width(),
                0, 0, e.height(), e.width(), height, width);
        return e.withPixels(out, e.channels(), height, width);
    }
}
