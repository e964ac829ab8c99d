package dev.netpress.data;

import dev.netpress.tensor.Dims;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Decodes an image file with javax.imageio into CHW floats in [0, 1]. */
final class ImageDecoder {
    private ImageDecoder() {}

    static Example decode(Path file, ColorMode mode, int label) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(file + ": cannot decode image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new DatasetException(file + ": cannot decode image: no javax.imageio reader recognises it");
        }
        int h = image.getHeight();
        int w = image.getWidth();
        float[] pixels = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                ? fromGray(image, mode, h, w)
                : fromRgb(image, mode, h, w);
        return new Example(pixels, Dims.of(mode.channels(), h, w), label);
    }

    /**
     * Reads the stored gray samples directly: {@link BufferedImage#getRGB} would pass them through a colour-space
     * conversion that changes their values.
     */
    private static float[] fromGray(BufferedImage image, ColorMode mode, int h, int w) {
        Raster raster = image.getRaster();
        float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
        int plane = h * w;
        float[] out = new float[mode.channels() * plane];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = raster.getSample(x, y, 0) / max;
                for (int c = 0; c < mode.channels(); c++) {
                    out[c * plane + y * w + x] = v;
                }
            }
        }
        return out;
    }

    private static float[] fromRgb(BufferedImage image, ColorMode mode, int h, int w) {
        int plane = h * w;
        float[] out = new float[mode.channels() * plane];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                float r = (row[x] >> 16 & 0xff) / 255f;
                float g = (row[x] >> 8 & 0xff) / 255f;
                float b = (row[x] & 0xff) / 255f;
                int i = y * w + x;
                if (mode == ColorMode.RGB) {
                    out[i] = r;
                    out[plane + i] = g;
                    out[2 * plane + i] = b;
                } else {
                    out[i] = 0.299f * r + 0.587f * g + 0.114f * b;
                }
            }
        }
        return out;
    }
}
