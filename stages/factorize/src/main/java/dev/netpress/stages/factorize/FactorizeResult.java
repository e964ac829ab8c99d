package dev.netpress.stages.factorize;

import dev.netpress.graph.Graph;
import java.util.List;
import java.util.Locale;

/**
 * What factorization did: the new graph, the layers replaced by two linears (with rank, sizes
 * and error), and the linear layers left alone with the reason.
 *
 * @param rule the rank rule in words, e.g. "50% of singular values removed"
 */
public record FactorizeResult(Graph graph, String rule, List<Factorized> factorized, List<Skipped> skipped) {
    public FactorizeResult {
        factorized = List.copyOf(factorized);
        skipped = List.copyOf(skipped);
    }

    /**
     * Linear {@code layer} [out, in] became {@code <layer>.0} [rank, in] followed by
     * {@code <layer>.1} [out, rank]. Parameter counts include the bias, which stays with the
     * second layer.
     *
     * @param relativeError ‖W − W_k‖_F / ‖W‖_F of the rank-k approximation
     * @param randomized whether the randomized SVD was used rather than the exact one
     */
    public record Factorized(String layer, int out, int in, int rank, long parametersBefore, long parametersAfter,
            double relativeError, boolean randomized) {}

    /** Linear {@code layer} was left as it is, because {@code reason}. */
    public record Skipped(String layer, String reason) {}

    public long parametersSaved() {
        return factorized.stream().mapToLong(f -> f.parametersBefore() - f.parametersAfter()).sum();
    }

    /** A one-line account, e.g. for a stage's log. */
    public String describe() {
        if (factorized.isEmpty() && skipped.isEmpty()) {
            return "no linear layer in the graph: nothing to factorize";
        }
        StringBuilder sb = new StringBuilder();
        if (factorized.isEmpty()) {
            sb.append("nothing factorized (").append(rule).append(")");
        } else {
            sb.append("factorized ").append(factorized.size()).append(" linear layer(s) (").append(rule)
                    .append("), saving ").append(count(parametersSaved())).append(" parameters: ");
            sb.append(String.join("; ", factorized.stream().map(f -> String.format(Locale.ROOT,
                    "%s rank %d of %d (%s → %s parameters, error %.4f%s)", f.layer(), f.rank(), Math.min(f.out(), f.in()),
                    count(f.parametersBefore()), count(f.parametersAfter()), f.relativeError(),
                    f.randomized() ? ", randomized" : "")).toList()));
        }
        if (!skipped.isEmpty()) {
            sb.append(factorized.isEmpty() ? ": " : "; ").append("left ").append(skipped.size()).append(": ");
            sb.append(String.join("; ", skipped.stream().map(s -> s.layer() + " (" + s.reason() + ")").toList()));
        }
        return sb.toString();
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
