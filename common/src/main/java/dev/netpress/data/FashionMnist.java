package dev.netpress.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Zalando's Fashion-MNIST: 28×28 grayscale images of clothing in ten classes.
 *
 * <p>{@link #bundled} reads the fixed subset shipped in the repository under {@code data/fashion-mnist} (10,000
 * training and 2,000 test images; see its README); {@link #load} reads a full copy such as Debian's
 * {@code /usr/share/datasets/fashion-mnist}.
 */
public final class FashionMnist {
    /** Class names indexed by label. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** System property naming the data directory that holds {@code fashion-mnist/}; overrides the search. */
    public static final String DATA_DIR_PROPERTY = "netpress.data.dir";

    private FashionMnist() {}

    /** The subset shipped with the repository; see {@link #bundledDir()} for how it is found. */
    public static IdxDataset bundled(Split split) {
        return load(bundledDir(), split);
    }

    /**
     * Reads the standard four files ({@code train-images-idx3-ubyte} etc.) from {@code dir}, each either
     * gzipped with a {@code .gz} suffix or raw without one.
     */
    public static IdxDataset load(Path dir, Split split) {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        IdxFile images = IdxReader.read(find(dir, prefix + "-images-idx3-ubyte"));
        IdxFile labels = IdxReader.read(find(dir, prefix + "-labels-idx1-ubyte"));
        return new IdxDataset(images, labels, CLASS_NAMES);
    }

    /**
     * The bundled subset's directory: {@code <netpress.data.dir>/fashion-mnist} when that property is set, otherwise
     * the first {@code data/fashion-mnist} found walking up from the working directory (Maven runs tests in the
     * module directory, one level below the repository root).
     */
    public static Path bundledDir() {
        String override = System.getProperty(DATA_DIR_PROPERTY);
        if (override != null) {
            Path dir = Path.of(override).resolve("fashion-mnist");
            if (!Files.isDirectory(dir)) {
                throw new DatasetException(dir + ": no such directory (from -D" + DATA_DIR_PROPERTY + ")");
            }
            return dir;
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path dir = d.resolve("data").resolve("fashion-mnist");
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        throw new DatasetException("no data/fashion-mnist in " + start + " or any directory above it; set -D"
                + DATA_DIR_PROPERTY + " to the directory that holds fashion-mnist/");
    }

    private static Path find(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path raw = dir.resolve(name);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        throw new DatasetException(dir + ": neither " + name + ".gz nor " + name + " exists");
    }
}
