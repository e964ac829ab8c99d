package dev.netpress.data;

import java.util.random.RandomGenerator;

/** Adds {@code p} rows or columns of zeros on every side, e.g. Fashion-MNIST's 28×28 to 32×32 with {@code Pad(2)}. */
public final class Pad implements Transform {
    private final int p;

    public Pad(int p) {
        if (p < 0) {
            throw new IllegalArgumentException("negative padding " + p);
        }
        this.p = p;
    }

    @Override
    public Example apply(Example e, RandomGenerator random) {
        int c = e.channels();
        int h = e.height();
        int w = e.width();
        int oh = h + 2 * p;
        int ow = w + 2 * p;
        float[] out = new float[c * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(e.pixels(), (ch * h + y) * w, out, (ch * oh + y + p) * ow + p, w);
            }
        }
        return e.withPixels(out, c, oh, ow);
    }
}
