package dev.netpress.data;

/** Which part of a dataset to load. */
public enum Split {
    /** The images a model is trained on. */
    TRAIN,
    /**
     * The held-out images: Fashion-MNIST's {@code t10k} files, or the rows of an imagenette-style CSV whose
     * {@code is_valid} column is true.
     */
    TEST
}
