package dev.netpress.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.tensor.Dims;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransformsTest {
    private static final float EPS = 1e-6f;

    private static Example image(int c, int h, int w, float... pixels) {
        return new Example(pixels, Dims.of(c, h, w), 3);
    }

    /** Pixel value = 100·channel + 10·row + column, so positions are visible in the values. */
    private static Example ramp(int c, int h, int w) {
        float[] p = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    p[(ch * h + y) * w + x] = 100 * ch + 10 * y + x;
                }
            }
        }
        return image(c, h, w, p);
    }

    @Test
    void padSurroundsWithZeros() {
        Example out = new Pad(1).apply(image(1, 2, 2, 1, 2, 3, 4), new SplittableRandom(0));
        assertEquals(Dims.of(1, 4, 4), out.shape());
        assertEquals(3, out.label());
        assertArrayEquals(new float[] {
            0, 0, 0, 0,
            0, 1, 2, 0,
            0, 3, 4, 0,
            0, 0, 0, 0}, out.pixels());
        assertEquals(Dims.of(1, 32, 32),
                new Pad(2).apply(FashionMnist.bundled(Split.TEST).get(0), new SplittableRandom(0)).shape());
    }

    @Test
    void resizeEnlargesBilinearlyWithHalfPixelCentres() {
        Example out = new Resize(4, 4).apply(image(1, 2, 2, 0, 1, 2, 3), new SplittableRandom(0));
        // along each axis, 2 → 4 samples the source at −0.25, 0.25, 0.75, 1.25 (edges clamp): weights 0, ¼, ¾, 1
        float[] row = {0, 0.25f, 0.75f, 1};
        float[] expected = new float[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                expected[y * 4 + x] = row[x] + 2 * row[y];
            }
        }
        assertArrayEquals(expected, out.pixels(), EPS);
    }

    @Test
    void resizeShrinksWithAWidenedTriangleFilter() {
        // 4 → 2: output 0 is centred at 1.0 and weighs sources 0, 1, 2 by 0.75, 0.75, 0.25
        Example out = new Resize(1, 2).apply(image(1, 1, 4, 0, 0, 1, 1), new SplittableRandom(0));
        assertArrayEquals(new float[] {1 / 7f, 6 / 7f}, out.pixels(), EPS);
        Example constant = new Resize(3, 5).apply(image(1, 7, 9, filled(63, 0.4f)), new SplittableRandom(0));
        assertArrayEquals(filled(15, 0.4f), constant.pixels(), EPS);
    }

    @Test
    void resizeToTheSameSizeIsTheIdentity() {
        Example in = ramp(2, 3, 4);
        assertSame(in, new Resize(3, 4).apply(in, new SplittableRandom(0)));
    }

    @Test
    void horizontalFlipMirrorsEachRowOfEachChannel() {
        Example in = ramp(2, 2, 3);
        Example flipped = new HorizontalFlip(1).apply(in, new SplittableRandom(0));
        assertArrayEquals(new float[] {2, 1, 0, 12, 11, 10, 102, 101, 100, 112, 111, 110}, flipped.pixels());
        assertSame(in, new HorizontalFlip(0).apply(in, new SplittableRandom(0)));
    }

    @Test
    void normalizeIsPerChannel() {
        Example out = new Normalize(new float[] {1, 10}, new float[] {2, 4})
                .apply(image(2, 1, 2, 3, 5, 10, 18), new SplittableRandom(0));
        assertArrayEquals(new float[] {1, 2, 0, 2}, out.pixels(), EPS);
    }

    @Test
    void composeAppliesInOrder() {
        Transform t = Transforms.compose(new Pad(1), new Normalize(new float[] {1}, new float[] {1}));
        Example out = t.apply(image(1, 1, 1, 5), new SplittableRandom(0));
        assertArrayEquals(new float[] {-1, -1, -1, -1, 4, -1, -1, -1, -1}, out.pixels());
    }

    @Test
    void randomResizedCropHasTheRequestedShapeAndIsReproducible() {
        Example in = ramp(3, 40, 50);
        RandomResizedCrop crop = new RandomResizedCrop(16, 0.08);
        Example a = crop.apply(in, new SplittableRandom(42));
        assertEquals(Dims.of(3, 16, 16), a.shape());
        assertEquals(3, a.label());
        assertArrayEquals(a.pixels(), crop.apply(in, new SplittableRandom(42)).pixels());
        boolean varies = false;
        for (long seed = 0; seed < 5; seed++) {
            varies |= !Arrays.equals(a.pixels(), crop.apply(in, new SplittableRandom(seed)).pixels());
        }
        assertTrue(varies, "different seeds should give different crops");
    }

    @Test
    void randomResizedCropOfTheFullSquareAtItsOwnSizeIsTheIdentity() {
        Example in = ramp(2, 8, 8);
        RandomResizedCrop crop = new RandomResizedCrop(8, 1.0);
        for (long seed = 0; seed < 20; seed++) {
            assertArrayEquals(in.pixels(), crop.apply(in, new SplittableRandom(seed)).pixels(), EPS);
        }
    }

    @Test
    void randomResizedCropFallsBackToTheCentre() {
        // 4×40 with the full area: no box of ratio ≤ 4/3 fits, so the fallback keeps the centred 4×5 box
        float[] columns = new float[4 * 40];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = i % 40;
        }
        Example out = new RandomResizedCrop(5, 1.0).apply(image(1, 4, 40, columns), new SplittableRandom(7));
        float[] expected = new float[25];
        for (int i = 0; i < 25; i++) {
            expected[i] = 17 + i % 5; // columns 17..21 kept as they are, the 4 rows stretched to 5
        }
        assertArrayEquals(expected, out.pixels(), EPS);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
