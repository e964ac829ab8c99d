package dev.netpress.graph;

/** A graph that is not well formed: the message names the node (or value) at fault. */
public class GraphException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String node;

    public GraphException(String node, String message) {
        super(node == null ? message : "node '" + node + "': " + message);
        this.node = node;
    }

    /** The node the problem was found at, or null for graph-level problems. */
    public String node() {
        return node;
    }
}
