package dev.netpress.exec;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.netpress.graph.Graph;
import dev.netpress.graph.GraphInput;
import dev.netpress.graph.Node;
import dev.netpress.graph.ParamSlot;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A {@link Graph} as a DJL {@link ai.djl.nn.Block} on the PyTorch engine: it runs forward in
 * eval and train mode, records autograd, and so trains under any DJL loop.
 *
 * <p>Lifecycle: {@link #create(Graph, NDManager)} copies the graph's tensors into parameters
 * owned by the given manager and marks the block initialised; forward passes then read the
 * parameters through a {@link ParameterStore}; {@link #toGraph()} copies the current values
 * (trained weights, updated batch-norm statistics) back into a new graph of the same structure.
 *
 * <p>The graph is compiled once into an array plan (value slots instead of name look-ups) and
 * each op calls libtorch directly through DJL's JNI layer, which keeps the per-op overhead at one
 * native call.
 */
public final class GraphBlock extends AbstractBlock {
    private final Graph graph;
    private final Node[] steps;
    private final int[][] stepInputs;
    private final Parameter[][] stepParams;
    private final int[] outputSlots;
    /** Per value slot, the first slot of its alias group (ops that may return their input join it). */
    private final int[] aliasRoot;
    /** Per step, the alias groups (their member slots) whose last reader that step is; see {@link #run}. */
    private final int[][][] releaseAfter;
    private final Map<String, Integer> slotOf = new HashMap<>();
    private final Map<String, Parameter> byTensorName = new LinkedHashMap<>();

    private GraphBlock(Graph graph) {
        this.graph = graph;
        int slot = 0;
        for (GraphInput in : graph.inputs()) {
            slotOf.put(in.name(), slot++);
        }
        List<Node> nodes = graph.nodes();
        steps = nodes.toArray(new Node[0]);
        stepInputs = new int[steps.length][];
        stepParams = new Parameter[steps.length][];
        for (int i = 0; i < steps.length; i++) {
            Node n = steps[i];
            stepInputs[i] = n.inputs().stream().mapToInt(slotOf::get).toArray();
            slotOf.put(n.name(), slot++);
            List<ParamSlot> slots = n.op().slots();
            stepParams[i] = new Parameter[slots.size()];
            for (int j = 0; j < slots.size(); j++) {
                ParamSlot s = slots.get(j);
                if (n.param(s.role()) != null) {
                    Parameter p = Parameter.builder().setName(n.tensorName(s.role())).setType(typeOf(s))
                            .optRequiresGrad(s.trainable()).build();
                    stepParams[i][j] = addParameter(p);
                    byTensorName.put(p.getName(), p);
                }
            }
        }
        outputSlots = graph.outputs().stream().mapToInt(slotOf::get).toArray();
        aliasRoot = new int[slot];
        releaseAfter = releaseSchedule(graph.inputs().size());
    }

    /**
     * When each intermediate value can be closed: after the last step that reads it. Values that
     * may be the same array (an op that can return its input: identity, dropout in eval mode, a
     * one-input concat) form one group, closed together after the group's last reader. Groups
     * holding a graph input (the caller's array) or a graph output are never closed.
     */
    private int[][][] releaseSchedule(int base) {
        int slots = aliasRoot.length;
        for (int s = 0; s < slots; s++) {
            aliasRoot[s] = s;
        }
        int[] lastUse = new int[slots];
        Arrays.fill(lastUse, -1);
        boolean[] kept = new boolean[slots];
        for (int s = 0; s < base; s++) {
            kept[s] = true;
        }
        for (int i = 0; i < steps.length; i++) {
            int out = base + i;
            if (mayReturnInput(steps[i])) {
                aliasRoot[out] = aliasRoot[stepInputs[i][0]];
            }
            for (int in : stepInputs[i]) {
                lastUse[aliasRoot[in]] = i;
            }
            lastUse[aliasRoot[out]] = Math.max(lastUse[aliasRoot[out]], i);
        }
        for (int s : outputSlots) {
            kept[aliasRoot[s]] = true;
        }
        List<List<int[]>> schedule = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            schedule.add(new ArrayList<>());
        }
        for (int root = base; root < slots; root++) {
            if (aliasRoot[root] != root || kept[root]) {
                continue;
            }
            final int r = root;
            int[] members = IntStream.range(r, slots).filter(s -> aliasRoot[s] == r).toArray();
            schedule.get(lastUse[r]).add(members);
        }
        return schedule.stream().map(l -> l.toArray(new int[0][])).toArray(int[][][]::new);
    }

    private static boolean mayReturnInput(Node n) {
        return switch (n.op()) {
            case IDENTITY, DROPOUT -> true;
            case CONCAT -> n.inputs().size() == 1;
            default -> false;
        };
    }

    /** A block for {@code graph} whose parameters live in {@code manager}, ready to run. */
    public static GraphBlock create(Graph graph, NDManager manager) {
        GraphBlock block = new GraphBlock(graph);
        for (Node n : graph.nodes()) {
            n.params().forEach((role, t) -> block.byTensorName.get(n.tensorName(role))
                    .setArray(toArray(manager, role.equals("weight") ? Dequantize.weight(n) : t)));
        }
        Shape[] shapes = graph.inputs().stream().map(i -> new Shape(i.shape().withBatch(1))).toArray(Shape[]::new);
        block.initialize(manager, DataType.FLOAT32, shapes);
        return block;
    }

    /** A tensor as a float32 array on the manager's device (other stored types are converted). */
    public static NDArray toArray(NDManager manager, Tensor t) {
        return manager.create(t.toFloats(), new Shape(t.shape().toLongArray()));
    }

    public Graph graph() {
        return graph;
    }

    /** Parameters keyed by stored tensor name ({@code <node>.<role>}). */
    public Map<String, Parameter> parametersByTensorName() {
        return byTensorName;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray[] values = run(ps, inputs, training, null);
        NDList out = new NDList(outputSlots.length);
        for (int s : outputSlots) {
            out.add(values[s]);
        }
        return out;
    }

    /**
     * Runs the graph and returns its outputs followed by the named nodes' outputs, in the order
     * asked (what distillation losses match between student and teacher).
     */
    public NDList forwardWithActivations(ParameterStore ps, NDList inputs, boolean training, Collection<String> nodes) {
        for (String name : nodes) {
            if (!graph.hasNode(name)) {
                throw new IllegalArgumentException("no node named '" + name + "' in the graph");
            }
        }
        if (training && !isInitialized()) {
            throw new IllegalStateException("block is not initialised; build it with GraphBlock.create");
        }
        boolean[] keep = null;
        if (!nodes.isEmpty()) {
            keep = new boolean[aliasRoot.length];
            for (String name : nodes) {
                keep[aliasRoot[slotOf.get(name)]] = true;
            }
        }
        NDArray[] values = run(ps, inputs, training, keep);
        NDList out = new NDList();
        for (int s : outputSlots) {
            out.add(values[s]);
        }
        for (String name : nodes) {
            out.add(values[slotOf.get(name)]);
        }
        return out;
    }

    /**
     * Runs the plan. Each intermediate array is closed as soon as its last reader has run (see
     * {@link #releaseSchedule}), except graph inputs, outputs and the alias groups marked in
     * {@code keep}; the returned slots of released values are null. Closing drops only this
     * array's reference: a tensor autograd saved for backward stays alive in libtorch. Releasing
     * early lets libtorch's allocator hand the same, cache-warm memory to the next op instead of
     * holding every activation of the pass until the caller's manager closes.
     */
    private NDArray[] run(ParameterStore ps, NDList inputs, boolean training, boolean[] keep) {
        if (inputs.size() != graph.inputs().size()) {
            throw new IllegalArgumentException("graph takes " + graph.inputs().size() + " input(s), got " + inputs.size());
        }
        NDArray[] values = new NDArray[slotOf.size()];
        for (int i = 0; i < inputs.size(); i++) {
            NDArray x = inputs.get(i);
            Dims want = graph.inputs().get(i).shape();
            Shape got = x.getShape();
            if (got.dimension() != want.rank() + 1 || !got.slice(1).equals(new Shape(want.toLongArray()))) {
                throw new IllegalArgumentException("input '" + graph.inputs().get(i).name() + "' must be [batch, "
                        + want.toString().substring(1) + ", got " + got);
            }
            values[i] = x;
        }
        Device device = inputs.head().getDevice();
        int base = inputs.size();
        for (int i = 0; i < steps.length; i++) {
            int[] ins = stepInputs[i];
            PtNDArray[] args = new PtNDArray[ins.length];
            for (int j = 0; j < ins.length; j++) {
                args[j] = pt(values[ins[j]]);
            }
            Parameter[] declared = stepParams[i];
            PtNDArray[] weights = new PtNDArray[declared.length];
            for (int j = 0; j < declared.length; j++) {
                weights[j] = declared[j] == null ? null : pt(ps.getValue(declared[j], device, training));
            }
            values[base + i] = Kernels.apply(steps[i], args, weights, training);
            for (int[] group : releaseAfter[i]) {
                if (keep == null || !keep[group[0]]) {
                    release(values, group);
                }
            }
        }
        return values;
    }

    /** Closes the distinct arrays held by a group's slots (aliases share one) and clears the slots. */
    private static void release(NDArray[] values, int[] group) {
        if (group.length == 1) {
            values[group[0]].close();
            values[group[0]] = null;
            return;
        }
        NDArray[] distinct = new NDArray[group.length];
        int n = 0;
        for (int s : group) {
            NDArray v = values[s];
            values[s] = null;
            boolean seen = false;
            for (int j = 0; j < n && !seen; j++) {
                seen = distinct[j] == v;
            }
            if (!seen) {
                distinct[n++] = v;
                v.close();
            }
        }
    }

    private static PtNDArray pt(NDArray a) {
        if (a instanceof PtNDArray p) {
            return p;
        }
        throw new IllegalArgumentException("arrays must come from the PyTorch engine, got " + a.getClass().getName());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes.length == 0 ? 1 : inputShapes[0].get(0);
        return graph.outputs().stream().map(o -> new Shape(graph.shapeOf(o).withBatch(batch))).toArray(Shape[]::new);
    }

    /** The graph with every parameter replaced by its current value in this block. */
    public Graph toGraph() {
        return graph.mapNodes(n -> {
            if (n.params().isEmpty()) {
                return n;
            }
            // the block computes in float32, so an int8 weight comes back as float32 without its scale
            Map<String, Tensor> fresh = new LinkedHashMap<>();
            n.params().forEach((role, old) -> {
                if (!role.equals("weight_scale")) {
                    NDArray a = byTensorName.get(n.tensorName(role)).getArray();
                    fresh.put(role, Tensor.ofFloats(old.shape(), a.toFloatArray()));
                }
            });
            return n.withParams(fresh);
        });
    }

    private static Parameter.Type typeOf(ParamSlot s) {
        return switch (s.role()) {
            case "weight" -> Parameter.Type.WEIGHT;
            case "bias" -> Parameter.Type.BIAS;
            case "running_mean" -> Parameter.Type.RUNNING_MEAN;
            case "running_var" -> Parameter.Type.RUNNING_VAR;
            default -> Parameter.Type.OTHER;
        };
    }

    /** Names of every parameter that training updates. */
    public List<String> trainableTensorNames() {
        List<String> names = new ArrayList<>();
        byTensorName.forEach((k, p) -> {
            if (p.requiresGradient()) {
                names.add(k);
            }
        });
        return names;
    }
}
