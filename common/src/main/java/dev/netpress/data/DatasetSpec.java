package dev.netpress.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A dataset as named on the command line and in recipes:
 * <ul>
 *   <li>{@code fashion-mnist}: the subset bundled with the repository;
 *   <li>{@code fashion-mnist:DIR}: a full copy of Fashion-MNIST in {@code DIR};
 *   <li>{@code csv:FILE.csv:ROOT:LABEL_COLUMN}: a {@link CsvImageFolder}, images relative to {@code ROOT}, labels
 *       from the named column (paths cannot contain ':').
 * </ul>
 */
public sealed interface DatasetSpec {
    String FASHION_MNIST = "fashion-mnist";
    String CSV = "csv";

    /** Input channels of the images. */
    int channels();

    /** Reads one split; throws {@link DatasetException} if the files are not what they claim. */
    ImageDataset load(Split split);

    /** What training images go through to become {@code size × size} inputs. */
    Transform trainTransform(int size);

    /** What test images go through to become {@code size × size} inputs; deterministic. */
    Transform testTransform(int size);

    /** The spec as written on the command line. */
    String text();

    /** Fashion-MNIST, bundled ({@code dir} null) or from a directory. */
    record FashionMnistSpec(Path dir) implements DatasetSpec {
        private static final int SIDE = 28;

        @Override
        public int channels() {
            return 1;
        }

        @Override
        public ImageDataset load(Split split) {
            return dir == null ? FashionMnist.bundled(split) : FashionMnist.load(dir, split);
        }

        /** The baseline's: padding to 32×32, no augmentation. */
        @Override
        public Transform trainTransform(int size) {
            return testTransform(size);
        }

        @Override
        public Transform testTransform(int size) {
            // padding keeps the digits' scale, as the baseline does (28 → 32 with Pad(2)); other sizes resample
            boolean padded = size >= SIDE && (size - SIDE) % 2 == 0;
            return padded ? new Pad((size - SIDE) / 2) : new Resize(size, size);
        }

        @Override
        public String text() {
            return dir == null ? FASHION_MNIST : FASHION_MNIST + ":" + dir;
        }
    }

    /** Images listed in a CSV, decoded as RGB and normalised with ImageNet's channel statistics. */
    record CsvSpec(Path csv, Path root, String labelColumn) implements DatasetSpec {
        private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
        private static final float[] STD = {0.229f, 0.224f, 0.225f};
        // fastai's imagenette recipes crop at least 35% of the image; its default 8% is for full ImageNet
        private static final double MIN_CROP_SCALE = 0.35;

        @Override
        public int channels() {
            return ColorMode.RGB.channels();
        }

        @Override
        public ImageDataset load(Split split) {
            return CsvImageFolder.load(csv, root, labelColumn, split, ColorMode.RGB);
        }

        @Override
        public Transform trainTransform(int size) {
            return Transforms.compose(new RandomResizedCrop(size, MIN_CROP_SCALE), new HorizontalFlip(0.5),
                    new Normalize(MEAN, STD));
        }

        @Override
        public Transform testTransform(int size) {
            return Transforms.compose(new Resize(size, size), new Normalize(MEAN, STD));
        }

        @Override
        public String text() {
            return String.join(":", CSV, csv.toString(), root.toString(), labelColumn);
        }
    }

    /**
     * Parses a spec and checks that the paths it names exist.
     *
     * @throws IllegalArgumentException with a message that says what is wrong
     */
    static DatasetSpec parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts[0].equals(FASHION_MNIST)) {
            if (parts.length == 1) {
                return new FashionMnistSpec(null);
            }
            if (parts.length == 2 && !parts[1].isEmpty()) {
                return new FashionMnistSpec(existing(Path.of(parts[1]), true));
            }
        } else if (parts[0].equals(CSV)) {
            if (parts.length == 4 && !parts[1].isEmpty() && !parts[2].isEmpty() && !parts[3].isEmpty()) {
                return new CsvSpec(existing(Path.of(parts[1]), false), existing(Path.of(parts[2]), true), parts[3]);
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a dataset; expected " + FASHION_MNIST + ", "
                + FASHION_MNIST + ":DIR or " + CSV + ":FILE.csv:ROOT:LABEL_COLUMN");
    }

    private static Path existing(Path p, boolean directory) {
        if (directory ? !Files.isDirectory(p) : !Files.isRegularFile(p)) {
            throw new IllegalArgumentException(p + ": no such " + (directory ? "directory" : "file"));
        }
        return p;
    }
}
