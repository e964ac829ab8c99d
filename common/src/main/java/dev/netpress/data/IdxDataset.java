package dev.netpress.data;

import dev.netpress.tensor.Dims;
import java.util.List;

/**
 * Grayscale images from an IDX images file of shape [N, H, W] paired with an IDX labels file of shape [N].
 * Pixels are scaled from [0, 255] to [0, 1]; each example has shape [1, H, W].
 */
public final class IdxDataset implements ImageDataset {
    private final IdxFile images;
    private final IdxFile labels;
    private final List<String> classNames;
    private final Dims shape;

    /** Checks that the two files agree with each other and with the class list. */
    public IdxDataset(IdxFile images, IdxFile labels, List<String> classNames) {
        int[] dims = images.dims();
        if (dims.length != 3) {
            throw new DatasetException(images.source() + ": expected images of shape [N, H, W], got " + images);
        }
        if (labels.dims().length != 1) {
            throw new DatasetException(labels.source() + ": expected labels of shape [N], got " + labels);
        }
        if (images.count() != labels.count()) {
            throw new DatasetException("image/label count mismatch: " + images.source() + " holds " + images.count()
                    + " images, " + labels.source() + " holds " + labels.count() + " labels");
        }
        for (int i = 0; i < labels.count(); i++) {
            if (labels.get(i) >= classNames.size()) {
                throw new DatasetException(labels.source() + ": label " + labels.get(i) + " at index " + i
                        + " is out of range for " + classNames.size() + " classes");
            }
        }
        this.images = images;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.shape = Dims.of(1, dims[1], dims[2]);
    }

    @Override
    public int size() {
        return images.count();
    }

    @Override
    public Example get(int index) {
        int n = images.itemSize();
        byte[] data = images.data();
        float[] pixels = new float[n];
        int offset = index * n;
        for (int i = 0; i < n; i++) {
            pixels[i] = (data[offset + i] & 0xff) / 255f;
        }
        return new Example(pixels, shape, labels.get(index));
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }
}
