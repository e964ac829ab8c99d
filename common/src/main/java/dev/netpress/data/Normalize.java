package dev.netpress.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Per channel, {@code (x - mean[c]) / std[c]}. */
public final class Normalize implements Transform {
    private final float[] mean;
    private final float[] std;

    public Normalize(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean " + Arrays.toString(mean) + " and std " + Arrays.toString(std)
                    + " must have one entry per channel");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive: " + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    @Override
    public Example apply(Example e, RandomGenerator random) {
        if (e.channels() != mean.length) {
            throw new IllegalArgumentException("Normalize has " + mean.length + " channels, the image "
                    + e.channels());
        }
        int plane = e.height() * e.width();
        float[] in = e.pixels();
        float[] out = new float[in.length];
        for (int c = 0; c < mean.length; c++) {
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                out[i] = (in[i] - mean[c]) / std[c];
            }
        }
        return e.withPixels(out, e.channels(), e.height(), e.width());
    }
}
