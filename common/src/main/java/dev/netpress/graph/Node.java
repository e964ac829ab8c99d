package dev.netpress.graph;

import dev.netpress.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One operation of a graph. Its single output value carries the node's name. Its parameters
 * (weights, biases, batch-norm statistics) belong to it, keyed by role; stored, a parameter is
 * named {@code <node>.<role>}.
 */
public record Node(String name, Op op, List<String> inputs, Attrs attrs, Map<String, Tensor> params) {
    public Node {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        if (name.isEmpty() || name.contains("/")) {
            throw new GraphException(name, "a node name must be non-empty and must not contain '/'");
        }
        inputs = List.copyOf(inputs);
        attrs = attrs == null ? Attrs.NONE : attrs;
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static Node of(String name, Op op, List<String> inputs) {
        return new Node(name, op, inputs, Attrs.NONE, Map.of());
    }

    /** The parameter of a role, or null if the node has none (an absent optional bias, say). */
    public Tensor param(String role) {
        return params.get(role);
    }

    /** The stored name of a parameter of this node. */
    public String tensorName(String role) {
        return name + "." + role;
    }

    public Node withParams(Map<String, Tensor> newParams) {
        return new Node(name, op, inputs, attrs, newParams);
    }

    public Node withParam(String role, Tensor tensor) {
        Map<String, Tensor> p = new LinkedHashMap<>(params);
        if (tensor == null) {
            p.remove(role);
        } else {
            p.put(role, tensor);
        }
        return new Node(name, op, inputs, attrs, p);
    }

    public Node withInputs(List<String> newInputs) {
        return new Node(name, op, newInputs, attrs, params);
    }

    public Node withAttrs(Attrs newAttrs) {
        return new Node(name, op, inputs, newAttrs, params);
    }
}
