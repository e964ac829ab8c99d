package dev.netpress.cli;

import dev.netpress.data.DataLoader;
import dev.netpress.data.DatasetSpec;
import dev.netpress.data.ImageDataset;
import dev.netpress.data.Split;

/**
 * The training and validation data of techniques run in this process. Loaders open on first use
 * (a fold never reads an image) and are shared by every technique run on them.
 */
final class LocalData implements AutoCloseable {
    private static final int VALID_BATCH = 256;

    private final DatasetSpec dataset;
    private final int batch;
    private final Integer limit;
    private final Integer validLimit;
    private final int imageSize;
    private DataLoader train;
    private DataLoader valid;

    /**
     * @param limit the first N training examples only, or null for all
     * @param validLimit the first N test examples only, or null for all
     * @param imageSize the models' input height and width
     */
    LocalData(DatasetSpec dataset, int batch, Integer limit, Integer validLimit, int imageSize) {
        this.dataset = dataset;
        this.batch = batch;
        this.limit = limit;
        this.validLimit = validLimit;
        this.imageSize = imageSize;
    }

    DataLoader train() {
        if (train == null) {
            ImageDataset ds = dataset.load(Split.TRAIN);
            train = DataLoader.builder(limit == null ? ds : ds.first(limit), batch)
                    .transform(dataset.trainTransform(imageSize)).shuffle(true).seed(1).prefetch(true).build();
        }
        return train;
    }

    DataLoader valid() {
        if (valid == null) {
            ImageDataset ds = dataset.load(Split.TEST);
            valid = DataLoader.builder(validLimit == null ? ds : ds.first(validLimit), VALID_BATCH)
                    .transform(dataset.testTransform(imageSize)).build();
        }
        return valid;
    }

    @Override
    public void close() {
        if (train != null) {
            train.close();
        }
        if (valid != null) {
            valid.close();
        }
    }
}
