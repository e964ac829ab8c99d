package dev.netpress.data;

import dev.netpress.tensor.Dims;

/**
 * One labelled image: {@code pixels} in channel-major (CHW) order with {@code shape} [C, H, W].
 * The array is not copied; transforms return new examples rather than writing into it.
 */
public record Example(float[] pixels, Dims shape, int label) {
    public Example {
        if (shape.rank() != 3) {
            throw new IllegalArgumentException("an example's shape is [C, H, W], got " + shape);
        }
        if (pixels.length != shape.numel()) {
            throw new IllegalArgumentException(pixels.length + " pixels do not fill shape " + shape);
        }
    }

    public int channels() {
        return shape.get(0);
    }

    public int height() {
        return shape.get(1);
    }

    public int width() {
        return shape.get(2);
    }

    /** The same label with other pixels, e.g. the output of a transform. */
    public Example withPixels(float[] newPixels, int c, int h, int w) {
        return new Example(newPixels, Dims.of(c, h, w), label);
    }
}
