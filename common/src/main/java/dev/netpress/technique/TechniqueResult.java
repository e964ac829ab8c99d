package dev.netpress.technique;

import dev.netpress.graph.Graph;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A technique's output: the new graph, what it measured (metric name → value, e.g. accuracy
 * after fine-tuning or the sparsity reached), a one-line account for logs, and a verdict where
 * the technique judges (evaluate's gate: true accepted, false rejected, null no verdict).
 */
public record TechniqueResult(Graph graph, SortedMap<String, Double> metrics, String summary, Boolean accepted) {
    public TechniqueResult {
        metrics = new TreeMap<>(metrics);
    }

    public static TechniqueResult of(Graph graph, Map<String, Double> metrics, String summary) {
        return new TechniqueResult(graph, new TreeMap<>(metrics), summary, null);
    }
}
