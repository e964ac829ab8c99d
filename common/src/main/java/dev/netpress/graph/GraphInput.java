package dev.netpress.graph;

import dev.netpress.tensor.Dims;
import java.util.Objects;

/** A named graph input and its shape without the batch dimension. */
public record GraphInput(String name, Dims shape) {
    public GraphInput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
    }
}
