package dev.netpress.stages.fold;

import dev.netpress.graph.Graph;
import java.util.List;

/**
 * What folding did: the new graph, the batch norms folded (each into the layer before it), and
 * those left in place with the reason.
 */
public record FoldResult(Graph graph, List<Folded> folded, List<Unfolded> unfolded) {
    public FoldResult {
        folded = List.copyOf(folded);
        unfolded = List.copyOf(unfolded);
    }

    /** Batch norm {@code batchNorm} now lives inside layer {@code into}. */
    public record Folded(String batchNorm, String into) {}

    /** Batch norm {@code batchNorm} could not be folded, because {@code reason}. */
    public record Unfolded(String batchNorm, String reason) {}

    /** A one-line account, e.g. for a stage's log. */
    public String describe() {
        if (folded.isEmpty() && unfolded.isEmpty()) {
            return "no batch norm in the graph: nothing to fold";
        }
        StringBuilder sb = new StringBuilder("folded " + folded.size() + " batch norm(s)");
        if (!unfolded.isEmpty()) {
            sb.append("; left ").append(unfolded.size()).append(": ");
            sb.append(String.join("; ", unfolded.stream().map(u -> u.batchNorm() + " (" + u.reason() + ")").toList()));
        }
        return sb.toString();
    }
}
