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
}
