package dev.netpress.graph;

import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A model as a graph of named nodes over named values, with its weights. Immutable and valid by
 * construction: {@link Builder#build()} orders the nodes topologically and infers every value's
 * shape, or fails with a {@link GraphException} that names the node at fault. Techniques take a
 * graph and return a new one; unchanged tensors are shared, never copied.
 */
public final class Graph {
    private final List<GraphInput> inputs;
    private final List<Node> nodes;
    private final List<String> outputs;
    private final Map<String, Node> byName;
    private final Map<String, Dims> shapes;
    private final Map<String, List<Node>> consumers;

    private Graph(List<GraphInput> inputs, List<Node> nodes, List<String> outputs, Map<String, Dims> shapes) {
        this.inputs = List.copyOf(inputs);
        this.nodes = List.copyOf(nodes);
        this.outputs = List.copyOf(outputs);
        this.shapes = Collections.unmodifiableMap(shapes);
        Map<String, Node> names = new LinkedHashMap<>();
        Map<String, List<Node>> users = new HashMap<>();
        for (Node n : nodes) {
            names.put(n.name(), n);
            for (String in : n.inputs()) {
                users.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        this.byName = Collections.unmodifiableMap(names);
        this.consumers = users;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this graph's inputs, nodes and outputs, to edit and build anew. */
    public Builder toBuilder() {
        Builder b = new Builder();
        inputs.forEach(i -> b.input(i.name(), i.shape()));
        nodes.forEach(b::add);
        b.outputs(outputs);
        return b;
    }

    public List<GraphInput> inputs() {
        return inputs;
    }

    /** Nodes in a topological order (every node after the nodes it reads). */
    public List<Node> nodes() {
        return nodes;
    }

    public List<String> outputs() {
        return outputs;
    }

    public Node node(String name) {
        Node n = byName.get(name);
        if (n == null) {
            throw new GraphException(null, "no node named '" + name + "'");
        }
        return n;
    }

    public boolean hasNode(String name) {
        return byName.containsKey(name);
    }

    /** The shape (without batch) of an input or node output. */
    public Dims shapeOf(String value) {
        Dims d = shapes.get(value);
        if (d == null) {
            throw new GraphException(null, "no value named '" + value + "'");
        }
        return d;
    }

    /** The nodes that read a value, in topological order. */
    public List<Node> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** Every stored tensor by its name {@code <node>.<role>}, in node order. */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Node n : nodes) {
            n.params().forEach((role, t) -> m.put(n.tensorName(role), t));
        }
        return m;
    }

    /** Trainable parameters (batch-norm running statistics are buffers, not parameters). */
    public long parameterCount() {
        return countParams(false);
    }

    public long nonZeroParameterCount() {
        return countParams(true);
    }

    private long countParams(boolean nonZeroOnly) {
        long total = 0;
        for (Node n : nodes) {
            for (ParamSlot s : n.op().slots()) {
                Tensor t = n.param(s.role());
                if (t != null && s.trainable()) {
                    total += nonZeroOnly ? t.countNonZero() : t.numel();
                }
            }
        }
        return total;
    }

    /** Multiply-accumulates of one node for one sample. */
    public long macs(Node n) {
        List<Dims> in = n.inputs().stream().map(this::shapeOf).toList();
        return n.op().macs(n, in, shapeOf(n.name()));
    }

    /** Multiply-accumulates of the whole graph for one sample. */
    public long macs() {
        return nodes.stream().mapToLong(this::macs).sum();
    }

    /** The same graph with every node passed through {@code f} (to edit attributes or tensors). */
    public Graph mapNodes(UnaryOperator<Node> f) {
        Builder b = builder();
        inputs.forEach(i -> b.input(i.name(), i.shape()));
        nodes.forEach(n -> b.add(f.apply(n)));
        return b.outputs(outputs).build();
    }

    /** Assembles and validates a graph. */
    public static final class Builder {
        private final List<GraphInput> inputs = new ArrayList<>();
        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final List<String> outputs = new ArrayList<>();

        private Builder() {}

        public Builder input(String name, Dims shape) {
            inputs.add(new GraphInput(name, shape));
            return this;
        }

        /** Adds a node; a node of the same name is an error (use {@link #replace}). */
        public Builder add(Node node) {
            if (nodes.putIfAbsent(node.name(), node) != null) {
                throw new GraphException(node.name(), "a node of this name already exists");
            }
            return this;
        }

        public Builder replace(Node node) {
            if (!nodes.containsKey(node.name())) {
                throw new GraphException(node.name(), "no node of this name to replace");
            }
            nodes.put(node.name(), node);
            return this;
        }

        public Builder remove(String name) {
            if (nodes.remove(name) == null) {
                throw new GraphException(name, "no node of this name to remove");
            }
            return this;
        }

        public boolean has(String name) {
            return nodes.containsKey(name);
        }

        public Node get(String name) {
            Node n = nodes.get(name);
            if (n == null) {
                throw new GraphException(name, "no node of this name");
            }
            return n;
        }

        /** Makes every reader of value {@code from} read {@code to} instead (outputs too). */
        public Builder rewire(String from, String to) {
            for (Map.Entry<String, Node> e : nodes.entrySet()) {
                Node n = e.getValue();
                if (n.inputs().contains(from) && !n.name().equals(to)) {
                    e.setValue(n.withInputs(n.inputs().stream().map(i -> i.equals(from) ? to : i).toList()));
                }
            }
            outputs.replaceAll(o -> o.equals(from) ? to : o);
            return this;
        }

        public Builder outputs(List<String> names) {
            outputs.clear();
            outputs.addAll(names);
            return this;
        }

        public Builder output(String name) {
            outputs.add(name);
            return this;
        }

        public Graph build() {
            if (inputs.isEmpty()) {
                throw new GraphException(null, "a graph needs at least one input");
            }
            if (outputs.isEmpty()) {
                throw new GraphException(null, "a graph needs at least one output");
            }
            Map<String, Dims> shapes = new HashMap<>();
            for (GraphInput in : inputs) {
                if (shapes.put(in.name(), in.shape()) != null) {
                    throw new GraphException(null, "input '" + in.name() + "' is declared twice");
                }
                if (nodes.containsKey(in.name())) {
                    throw new GraphException(in.name(), "has the name of a graph input");
                }
            }
            for (Node n : nodes.values()) {
                for (String in : n.inputs()) {
                    if (!shapes.containsKey(in) && !nodes.containsKey(in)) {
                        throw new GraphException(n.name(), "input '" + in + "' is not defined (dangling input)");
                    }
                }
            }
            List<Node> order = topologicalOrder(shapes.keySet());
            for (Node n : order) {
                List<Dims> in = n.inputs().stream().map(shapes::get).toList();
                shapes.put(n.name(), n.op().inferChecked(n, in));
            }
            Set<String> seen = new HashSet<>();
            for (String out : outputs) {
                if (!shapes.containsKey(out)) {
                    throw new GraphException(null, "output '" + out + "' is not defined");
                }
                if (!seen.add(out)) {
                    throw new GraphException(null, "output '" + out + "' is listed twice");
                }
            }
            return new Graph(inputs, order, outputs, shapes);
        }

        /** Kahn's algorithm, stable in insertion order; what is left over lies on a cycle. */
        private List<Node> topologicalOrder(Set<String> graphInputs) {
            Map<String, Integer> pending = new HashMap<>();
            Map<String, List<Node>> readers = new HashMap<>();
            Deque<Node> ready = new ArrayDeque<>();
            for (Node n : nodes.values()) {
                int deps = 0;
                for (String in : n.inputs()) {
                    if (!graphInputs.contains(in)) {
                        deps++;
                        readers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                    }
                }
                pending.put(n.name(), deps);
                if (deps == 0) {
                    ready.add(n);
                }
            }
            List<Node> order = new ArrayList<>();
            while (!ready.isEmpty()) {
                Node n = ready.poll();
                order.add(n);
                for (Node r : readers.getOrDefault(n.name(), List.of())) {
                    if (pending.merge(r.name(), -1, Integer::sum) == 0) {
                        ready.add(r);
                    }
                }
            }
            if (order.size() < nodes.size()) {
                throw new GraphException(cycleStart(pending), "is on a cycle: " + describeCycle(pending));
            }
            return order;
        }

        private String cycleStart(Map<String, Integer> pending) {
            return pending.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
                    .filter(nodes::containsKey).findFirst().orElse(null);
        }

        /** Walks back from a node left with unmet inputs until a name repeats. */
        private String describeCycle(Map<String, Integer> pending) {
            String start = cycleStart(pending);
            List<String> path = new ArrayList<>();
            String cur = start;
            while (cur != null && !path.contains(cur)) {
                path.add(cur);
                cur = nodes.get(cur).inputs().stream()
                        .filter(i -> nodes.containsKey(i) && pending.getOrDefault(i, 0) > 0).findFirst().orElse(null);
            }
            if (cur != null) {
                path = new ArrayList<>(path.subList(path.indexOf(cur), path.size()));
                path.add(cur);
            }
            Collections.reverse(path);
            return String.join(" -> ", path);
        }
    }
}
