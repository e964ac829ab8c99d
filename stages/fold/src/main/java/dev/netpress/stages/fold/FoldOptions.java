package dev.netpress.stages.fold;

/**
 * Options of batch-norm folding.
 *
 * @param convolutions fold batch norms that follow a conv2d
 * @param linears fold batch norms that follow a linear layer
 */
public record FoldOptions(boolean convolutions, boolean linears) {
    public FoldOptions {
        if (!convolutions && !linears) {
            throw new IllegalArgumentException("fold needs at least one of convolutions or linears enabled");
        }
    }

    public static FoldOptions defaults() {
        return new FoldOptions(true, true);
    }
}
