package dev.netpress.stages.sparsify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.netpress.exec.NoGrad;
import java.util.LinkedHashMap;
import java.util.Map;

/** Masks as native arrays, multiplied into a model's live parameters in place. */
final class LiveMasks implements AutoCloseable {
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();

    LiveMasks(Masks masks, NDManager manager) {
        masks.byTensor().forEach((name, m) ->
                arrays.put(name, manager.create(m.values(), new Shape(m.shape().toLongArray()))));
    }

    /** Multiplies every masked parameter by its mask (broadcast). */
    @SuppressWarnings("try") // NoGrad is used for its scope
    void applyTo(Map<String, Parameter> parameters) {
        // in-place writes to leaves that record gradients are refused unless autograd is off
        try (NoGrad g = NoGrad.enter()) {
            arrays.forEach((name, mask) -> parameters.get(name).getArray().muli(mask));
        }
    }

    @Override
    public void close() {
        arrays.values().forEach(NDArray::close);
    }
}
