package dev.netpress.data;

import java.util.List;

/** A random-access collection of labelled images. Implementations are safe to read from several threads. */
public interface ImageDataset {
    int size();

    /** The example at {@code index}, in [0, {@link #size()}). */
    Example get(int index);

    /** Class names indexed by label. */
    List<String> classNames();

    default int numClasses() {
        return classNames().size();
    }

    /** A view of the first {@code n} examples (all of them when {@code n >= size()}). */
    default ImageDataset first(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a subset needs at least one example, got " + n);
        }
        ImageDataset all = this;
        int size = Math.min(n, all.size());
        return new ImageDataset() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Example get(int index) {
                return all.get(java.util.Objects.checkIndex(index, size));
            }

            @Override
            public List<String> classNames() {
                return all.classNames();
            }
        };
    }
}
