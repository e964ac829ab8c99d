package dev.netpress.cli;

import dev.netpress.data.ImageDataset;
import dev.netpress.data.Example;
import java.util.List;
import java.util.Objects;

/** The first {@code limit} examples of a dataset, or all of them if it has fewer: for quick runs. */
record LimitedDataset(ImageDataset source, int limit) implements ImageDataset {
    LimitedDataset {
        Objects.requireNonNull(source, "source");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }

    @Override
    public int size() {
        return Math.min(limit, source.size());
    }

    @Override
    public Example get(int index) {
        return source.get(Objects.checkIndex(index, size()));
    }

    @Override
    public List<String> classNames() {
        return source.classNames();
    }
}
