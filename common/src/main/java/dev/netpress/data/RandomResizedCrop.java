package dev.netpress.data;

import java.util.random.RandomGenerator;

/**
 * Crops a random box and resizes it to {@code size × size}, as torchvision's and fastai's RandomResizedCrop do: the
 * box covers a fraction of the image's area drawn uniformly from [{@code minScale}, 1] and has a width/height ratio
 * drawn log-uniformly from [3/4, 4/3]. If ten draws give no box that fits, it falls back to the largest centred
 * box whose ratio is within that range. Box sides are rounded half to even, like Python's {@code round}.
 */
public final class RandomResizedCrop implements Transform {
    private static final double MIN_RATIO = 3.0 / 4.0;
    private static final double MAX_RATIO = 4.0 / 3.0;
    private static final int ATTEMPTS = 10;

    private final int size;
    private final double minScale;

    public RandomResizedCrop(int size, double minScale) {
        if (size <= 0) {
            throw new IllegalArgumentException("crop size " + size);
        }
        if (!(minScale > 0 && minScale <= 1)) {
            throw new IllegalArgumentException("minScale " + minScale + " is not in (0, 1]");
        }
        this.size = size;
        this.minScale = minScale;
    }

    @Override
    public Example apply(Example e, RandomGenerator random) {
        int h = e.height();
        int w = e.width();
        double area = (double) h * w;
        double logMin = Math.log(MIN_RATIO);
        double logMax = Math.log(MAX_RATIO);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // origin + span * u rather than nextDouble(origin, bound), which rejects an empty range (minScale = 1)
            double target = area * (minScale + (1 - minScale) * random.nextDouble());
            double ratio = Math.exp(logMin + (logMax - logMin) * random.nextDouble());
            int cw = (int) Math.rint(Math.sqrt(target * ratio));
            int ch = (int) Math.rint(Math.sqrt(target / ratio));
            if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
                int top = random.nextInt(h - ch + 1);
                int left = random.nextInt(w - cw + 1);
                return crop(e, top, left, ch, cw);
            }
        }
        double inRatio = (double) w / h;
        int cw = w;
        int ch = h;
        if (inRatio < MIN_RATIO) {
            ch = (int) Math.rint(w / MIN_RATIO);
        } else if (inRatio > MAX_RATIO) {
            cw = (int) Math.rint(h * MAX_RATIO);
        }
        return crop(e, (h - ch) / 2, (w - cw) / 2, ch, cw);
    }

    private Example crop(Example e, int top, int left, int ch, int cw) {
        float[] out = Resampler.resize(e.pixels(), e.channels(), e.height(), e.width(),
                top, left, ch, cw, size, size);
        return e.withPixels(out, e.channels(), size, size);
    }
}
