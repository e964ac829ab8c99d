package dev.netpress.artifact;

import dev.netpress.graph.Graph;
import java.util.Objects;

/**
 * An artifact read from a file, with the reference to that file (its whole-file SHA-256 and
 * size). The graph's tensors are slices of the file's memory mapping, which stays mapped while
 * any of them is reachable.
 */
public record LoadedArtifact(Artifact artifact, ArtifactRef ref) {
    public LoadedArtifact {
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(ref, "ref");
    }

    public Graph graph() {
        return artifact.graph();
    }

    public ModelCard card() {
        return artifact.card();
    }

    /** The whole file's SHA-256, lowercase hex. */
    public String sha256() {
        return ref.sha256();
    }
}
