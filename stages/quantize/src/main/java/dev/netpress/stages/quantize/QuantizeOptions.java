package dev.netpress.stages.quantize;

import java.util.List;
import java.util.Set;

/**
 * Options of post-training weight quantization.
 *
 * @param convolutions quantize conv2d weights
 * @param linears quantize linear weights
 * @param skip node names kept in float (e.g. the first conv or the classifier, if accuracy asks)
 */
public record QuantizeOptions(boolean convolutions, boolean linears, Set<String> skip) {
    public QuantizeOptions {
        if (!convolutions && !linears) {
            throw new IllegalArgumentException("quantize needs at least one of convolutions or linears enabled");
        }
        skip = Set.copyOf(skip);
    }

    public static QuantizeOptions defaults() {
        return new QuantizeOptions(true, true, Set.of());
    }

    public QuantizeOptions withSkip(List<String> nodes) {
        return new QuantizeOptions(convolutions, linears, Set.copyOf(nodes));
    }
}
