package dev.netpress.artifact;

import dev.netpress.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a safetensors file: tensors in header order and the optional string metadata.
 * Tensors read from a file are slices of its memory mapping, which stays mapped while any of
 * them is reachable.
 */
public record SafetensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
    public SafetensorsFile {
        // copies keep the caller's order; Map.copyOf would lose it
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
