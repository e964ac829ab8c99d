package dev.netpress.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph's structure as JSON (weights travel separately, named {@code <node>.<role>}).
 *
 * <pre>{"format": "netpress.graph/1",
 *  "inputs": [{"name": "input", "shape": [1, 32, 32]}],
 *  "nodes": [{"name": "conv1", "op": "conv2d", "inputs": ["input"],
 *             "attrs": {"padding": [1, 1]}, "params": ["weight", "bias"]}],
 *  "outputs": ["fc"]}</pre>
 */
public final class GraphJson {
    public static final String FORMAT = "netpress.graph/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private GraphJson() {}

    public static String write(Graph g) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode ins = root.putArray("inputs");
        for (GraphInput in : g.inputs()) {
            ObjectNode o = ins.addObject();
            o.put("name", in.name());
            ArrayNode s = o.putArray("shape");
            for (int d : in.shape().toArray()) {
                s.add(d);
            }
        }
        ArrayNode nodes = root.putArray("nodes");
        for (Node n : g.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("name", n.name());
            o.put("op", n.op().wireName());
            ArrayNode in = o.putArray("inputs");
            n.inputs().forEach(in::add);
            if (!n.attrs().asMap().isEmpty()) {
                o.set("attrs", JSON.valueToTree(n.attrs().asMap()));
            }
            if (!n.params().isEmpty()) {
                ArrayNode p = o.putArray("params");
                n.params().keySet().forEach(p::add);
            }
        }
        ArrayNode outs = root.putArray("outputs");
        g.outputs().forEach(outs::add);
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Rebuilds a graph from its JSON and its tensors. Every tensor must be claimed by a node
     * and every claimed tensor must exist, so a weights file of another model fails here.
     */
    public static Graph read(String json, Map<String, Tensor> tensors) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new GraphException(null, "graph JSON does not parse: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new GraphException(null, "graph JSON must be an object");
        }
        String format = root.path("format").asText("");
        if (!FORMAT.equals(format)) {
            throw new GraphException(null, "unsupported graph format '" + format + "' (this build reads " + FORMAT + ")");
        }
        Graph.Builder b = Graph.builder();
        for (JsonNode in : array(root, "inputs")) {
            b.input(text(in, "name"), Dims.of(ints(in.get("shape"), "input shape")));
        }
        Set<String> claimed = new HashSet<>();
        for (JsonNode jn : array(root, "nodes")) {
            String name = text(jn, "name");
            String opName = text(jn, "op");
            Op op = Op.fromWireName(opName).orElseThrow(() -> new GraphException(name, "unknown op '" + opName + "'"));
            List<String> inputs = new ArrayList<>();
            for (JsonNode i : array(jn, "inputs")) {
                inputs.add(i.asText());
            }
            Attrs attrs = Attrs.NONE;
            if (jn.has("attrs")) {
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> raw = JSON.convertValue(jn.get("attrs"), Map.class);
                    attrs = Attrs.fromMap(raw);
                } catch (IllegalArgumentException e) {
                    throw new GraphException(name, e.getMessage());
                }
            }
            Map<String, Tensor> params = new LinkedHashMap<>();
            if (jn.has("params")) {
                for (JsonNode p : jn.get("params")) {
                    String tensorName = name + "." + p.asText();
                    Tensor t = tensors.get(tensorName);
                    if (t == null) {
                        throw new GraphException(name, "tensor '" + tensorName + "' is missing from the weights");
                    }
                    params.put(p.asText(), t);
                    claimed.add(tensorName);
                }
            }
            b.add(new Node(name, op, inputs, attrs, params));
        }
        for (JsonNode o : array(root, "outputs")) {
            b.output(o.asText());
        }
        for (String t : tensors.keySet()) {
            if (!claimed.contains(t)) {
                throw new GraphException(null, "tensor '" + t + "' in the weights belongs to no node");
            }
        }
        return b.build();
    }

    private static Iterable<JsonNode> array(JsonNode o, String field) {
        JsonNode a = o.get(field);
        if (a == null || !a.isArray()) {
            throw new GraphException(null, "graph JSON: '" + field + "' must be an array");
        }
        return a;
    }

    private static String text(JsonNode o, String field) {
        JsonNode t = o.get(field);
        if (t == null || !t.isTextual()) {
            throw new GraphException(null, "graph JSON: '" + field + "' must be a string in " + o);
        }
        return t.asText();
    }

    private static int[] ints(JsonNode a, String what) {
        if (a == null || !a.isArray()) {
            throw new GraphException(null, "graph JSON: " + what + " must be an array of integers");
        }
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!a.get(i).isInt() || a.get(i).asInt() < 0) {
                throw new GraphException(null, "graph JSON: " + what + " must hold non-negative integers, got " + a);
            }
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
