package dev.netpress.artifact;

import dev.netpress.graph.Graph;
import java.util.Objects;

/**
 * A model as the pipeline passes it on: its graph (structure and weights) and its card. Saved by
 * {@link Artifacts#save} as one self-describing file. Graphs compare by identity, so two
 * artifacts are equal only if they share the same graph object.
 */
public record Artifact(Graph graph, ModelCard card) {
    public Artifact {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(card, "card");
    }
}
