package dev.netpress.stages.sparsify;

import dev.netpress.graph.Op;
import java.util.Optional;

/** The kinds of layer whose weights can be sparsified, each with its own weight layout. */
public enum LayerKind {
    /** Weight {@code [out, in/groups, kh, kw]}. */
    CONV2D(Op.CONV2D),
    /** Weight {@code [out, in]}. */
    LINEAR(Op.LINEAR);

    private final Op op;

    LayerKind(Op op) {
        this.op = op;
    }

    public Op op() {
        return op;
    }

    /** The kind of a node's op, or empty for ops that have no prunable weight. */
    public static Optional<LayerKind> of(Op op) {
        for (LayerKind k : values()) {
            if (k.op == op) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
