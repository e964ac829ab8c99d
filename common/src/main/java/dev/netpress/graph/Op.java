package dev.netpress.graph;

import dev.netpress.tensor.DType;
import dev.netpress.tensor.Dims;
import dev.netpress.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The operations a graph may hold, each with what it alone knows: its parameters, how many
 * inputs it takes, the shape it produces and the multiply-accumulates it costs. Shapes here
 * leave out the batch dimension.
 *
 * <p>MACs count conv2d and linear only (the convention of ptflops/fvcore for CNNs): element-wise
 * ops, pooling and batch norm cost memory traffic rather than arithmetic.
 */
public enum Op {
    CONV2D("conv2d", 1, 1, List.of(ParamSlot.weight(), ParamSlot.optionalBias(), ParamSlot.weightScale())) {
        @Override
        Dims infer(Node n, List<Dims> in) {
            Dims x = rank(n, in.get(0), 3);
            Dims w = n.param("weight").shape();
            if (w.rank() != 4) {
                throw new GraphException(n.name(), "conv2d weight must be [out, in/groups, kh, kw], got " + w);
            }
            int groups = n.attrs().getInt("groups", 1);
            if (groups < 1 || w.get(0) % groups != 0) {
                throw new GraphException(n.name(), "groups " + groups + " must divide the " + w.get(0) + " output channels");
            }
            if (x.get(0) != w.get(1) * groups) {
                throw new GraphException(n.name(), "channel mismatch: input has " + x.get(0) + " channels but weight "
                        + w + " with groups " + groups + " expects " + (w.get(1) * groups));
            }
            checkBias(n, w.get(0));
            int[] s = positive(n, "stride", n.attrs().getPair("stride", ONE));
            int[] p = nonNegative(n, "padding", n.attrs().getPair("padding", ZERO));
            int[] d = positive(n, "dilation", n.attrs().getPair("dilation", ONE));
            int h = window(n, x.get(1), w.get(2), s[0], p[0], d[0], false);
            int wd = window(n, x.get(2), w.get(3), s[1], p[1], d[1], false);
            return Dims.of(w.get(0), h, wd);
        }

        @Override
        long macs(Node n, List<Dims> in, Dims out) {
            Dims w = n.param("weight").shape();
            return out.numel() * w.get(1) * w.get(2) * w.get(3);
        }
    },
    BATCHNORM("batchnorm", 1, 1, List.of(ParamSlot.required("weight"), ParamSlot.required("bias"),
            ParamSlot.buffer("running_mean"), ParamSlot.buffer("running_var"))) {
        @Override
        Dims infer(Node n, List<Dims> in) {
            Dims x = in.get(0);
            if (x.rank() < 1 || x.rank() > 3) {
                throw new GraphException(n.name(), "batchnorm takes [C], [C, L] or [C, H, W], got " + x);
            }
            for (String role : List.of("weight", "bias", "running_mean", "running_var")) {
                Dims p = n.param(role).shape();
                if (p.rank() != 1 || p.get(0) != x.get(0)) {
                    throw new GraphException(n.name(), "channel mismatch: " + role + " is " + p + " but input has "
                            + x.get(0) + " channels");
                }
            }
            if (n.attrs().getDouble("eps", 1e-5) <= 0) {
                throw new GraphException(n.name(), "eps must be positive");
            }
            return x;
        }
    },
    LINEAR("linear", 1, 1, List.of(ParamSlot.weight(), ParamSlot.optionalBias(), ParamSlot.weightScale())) {
        @Override
        Dims infer(Node n, List<Dims> in) {
            Dims x = in.get(0);
            Dims w = n.param("weight").shape();
            if (w.rank() != 2) {
                throw new GraphException(n.name(), "linear weight must be [out, in], got " + w);
            }
            if (x.rank() < 1 || x.get(-1) != w.get(1)) {
                throw new GraphException(n.name(), "feature mismatch: input " + x + " but weight " + w
                        + " expects " + w.get(1) + " features");
            }
            checkBias(n, w.get(0));
            return x.with(-1, w.get(0));
        }

        @Override
        long macs(Node n, List<Dims> in, Dims out) {
            return out.numel() * n.param("weight").shape().get(1);
        }
    },
    RELU("relu", 1, 1, List.of()),
    RELU6("relu6", 1, 1, List.of()),
    MAXPOOL("maxpool", 1, 1, List.of()) {
        @Override
        Dims infer(Node n, List<Dims> in) {
            return pool(n, in.get(0));
        }
    },
    AVGPOOL("avgpool", 1, 1, List.of()) {
        @Override
        Dims infer(Node n, List<Dims> in) {
            return pool(n, in.get(0));
        }
    },
    /** Average pooling to a fixed output size, as torch.nn.AdaptiveAvgPool2d. */
    ADAPTIVE_AVGPOOL("adaptive_avgpool", 1, 1, List.of()) {
        @Override
        Dims infer(Node n, List<Dims> in) {
            Dims x = rank(n, in.get(0), 3);
            if (!n.attrs().has("output_size")) {
                throw new GraphException(n.name(), "adaptive_avgpool needs attribute output_size");
            }
            int[] o = positive(n, "output_size", n.attrs().getPair("output_size", ONE));
            return Dims.of(x.get(0), o[0], o[1]);
        }
    },
    /** Average over all spatial positions: [C, H, W] to [C, 1, 1]. */
    GLOBAL_AVGPOOL("global_avgpool", 1, 1, List.of()) {
        @Override
        Dims infer(Node n, List<Dims> in) {
            Dims x = rank(n, in.get(0), 3);
            return Dims.of(x.get(0), 1, 1);
        }
    },
    /** Everything but the batch dimension into one axis, as torch.flatten(x, 1). */
    FLATTEN("flatten", 1, 1, List.of()) {
        @Override
        Dims infer(Node n, List<Dims> in) {
            return Dims.of(Math.toIntExact(in.get(0).numel()));
        }
    },
    DROPOUT("dropout", 1, 1, List.of()) {
        @Override
        Dims infer(Node n, List<Dims> in) {
            double p = n.attrs().getDouble("p", 0.5);
            if (p < 0 || p >= 1) {
                throw new GraphException(n.name(), "dropout p must be in [0, 1), got " + p);
            }
            return in.get(0);
        }
    },
    ADD("add", 2, Integer.MAX_VALUE, List.of()) {
        @Override
        Dims infer(Node n, List<Dims> in) {
            for (int i = 1; i < in.size(); i++) {
                if (!in.get(i).equals(in.get(0))) {
                    throw new GraphException(n.name(), "add needs equal shapes, got " + in.get(0) + " ('"
                            + n.inputs().get(0) + "') and " + in.get(i) + " ('" + n.inputs().get(i) + "')");
                }
            }
            return in.get(0);
        }
    },
    /** Joins inputs along {@code axis} (0 = channels; the batch axis is not counted). */
    CONCAT("concat", 1, Integer.MAX_VALUE, List.of()) {
        @Override
        Dims infer(Node n, List<Dims> in) {
            int axis = n.attrs().getInt("axis", 0);
            Dims first = in.get(0);
            if (axis < 0 || axis >= first.rank()) {
                throw new GraphException(n.name(), "concat axis " + axis + " is outside " + first);
            }
            int total = 0;
            for (int i = 0; i < in.size(); i++) {
                Dims d = in.get(i);
                if (d.rank() != first.rank() || !d.with(axis, 0).equals(first.with(axis, 0))) {
                    throw new GraphException(n.name(), "concat inputs differ off axis " + axis + ": " + first + " and " + d);
                }
                total += d.get(axis);
            }
            return first.with(axis, total);
        }
    },
    IDENTITY("identity", 1, 1, List.of());

    private static final int[] ONE = {1, 1};
    private static final int[] ZERO = {0, 0};

    private final String wireName;
    private final int minInputs;
    private final int maxInputs;
    private final List<ParamSlot> slots;

    Op(String wireName, int minInputs, int maxInputs, List<ParamSlot> slots) {
        this.wireName = wireName;
        this.minInputs = minInputs;
        this.maxInputs = maxInputs;
        this.slots = slots;
    }

    /** The op's name in graph JSON. */
    public String wireName() {
        return wireName;
    }

    public List<ParamSlot> slots() {
        return slots;
    }

    public Optional<ParamSlot> slot(String role) {
        return slots.stream().filter(s -> s.role().equals(role)).findFirst();
    }

    public boolean hasParams() {
        return !slots.isEmpty();
    }

    public static Optional<Op> fromWireName(String name) {
        return Arrays.stream(values()).filter(o -> o.wireName.equals(name)).findFirst();
    }

    /** Checks arity and parameters, then infers the output shape. */
    Dims inferChecked(Node n, List<Dims> in) {
        if (in.size() < minInputs || in.size() > maxInputs) {
            String want = minInputs == maxInputs ? String.valueOf(minInputs)
                    : maxInputs == Integer.MAX_VALUE ? "at least " + minInputs : minInputs + " to " + maxInputs;
            throw new GraphException(n.name(), wireName + " takes " + want + " input(s), got " + in.size());
        }
        for (String role : n.params().keySet()) {
            if (slot(role).isEmpty()) {
                throw new GraphException(n.name(), wireName + " has no parameter '" + role + "'");
            }
        }
        for (ParamSlot s : slots) {
            Tensor t = n.param(s.role());
            if (t == null && s.required()) {
                throw new GraphException(n.name(), wireName + " needs parameter '" + s.role() + "'");
            }
            if (t != null && !t.dtype().isFloatingPoint() && !(t.dtype() == DType.I8 && s.role().equals("weight"))) {
                throw new GraphException(n.name(), "parameter '" + s.role() + "' has unsupported type " + t.dtype());
            }
        }
        checkQuantization(n);
        try {
            return infer(n, in);
        } catch (IllegalArgumentException e) {
            throw new GraphException(n.name(), e.getMessage());
        }
    }

    /** Output shape; the default keeps the input's shape (element-wise ops). */
    Dims infer(Node n, List<Dims> in) {
        return in.get(0);
    }

    /** Multiply-accumulates for one sample. */
    long macs(Node n, List<Dims> in, Dims out) {
        return 0;
    }

    /** An int8 weight comes with one float scale per output channel, and a scale only with one. */
    private static void checkQuantization(Node n) {
        Tensor w = n.param("weight");
        Tensor scale = n.param("weight_scale");
        boolean quantized = w != null && w.dtype() == DType.I8;
        if (quantized && scale == null) {
            throw new GraphException(n.name(), "int8 weight needs a 'weight_scale' parameter");
        }
        if (scale != null) {
            if (!quantized) {
                throw new GraphException(n.name(), "'weight_scale' belongs only with an int8 weight, not " + w.dtype());
            }
            if (scale.shape().rank() != 1 || scale.shape().get(0) != w.shape().get(0) || !scale.dtype().isFloatingPoint()) {
                throw new GraphException(n.name(), "weight_scale must be a float [" + w.shape().get(0) + "], got "
                        + scale.dtype() + scale.shape());
            }
        }
    }

    private static Dims rank(Node n, Dims x, int rank) {
        if (x.rank() != rank) {
            throw new GraphException(n.name(), "expects an input of rank " + rank + " ([C, H, W]), got " + x);
        }
        return x;
    }

    private static void checkBias(Node n, int out) {
        Tensor b = n.param("bias");
        if (b != null && (b.shape().rank() != 1 || b.shape().get(0) != out)) {
            throw new GraphException(n.name(), "bias must be [" + out + "], got " + b.shape());
        }
    }

    private static int[] positive(Node n, String attr, int[] v) {
        if (v[0] < 1 || v[1] < 1) {
            throw new GraphException(n.name(), attr + " must be positive, got " + Arrays.toString(v));
        }
        return v;
    }

    private static int[] nonNegative(Node n, String attr, int[] v) {
        if (v[0] < 0 || v[1] < 0) {
            throw new GraphException(n.name(), attr + " must not be negative, got " + Arrays.toString(v));
        }
        return v;
    }

    private static Dims pool(Node n, Dims x) {
        rank(n, x, 3);
        if (!n.attrs().has("kernel")) {
            throw new GraphException(n.name(), n.op().wireName + " needs attribute kernel");
        }
        int[] k = positive(n, "kernel", n.attrs().getPair("kernel", ONE));
        int[] s = positive(n, "stride", n.attrs().getPair("stride", k));
        int[] p = nonNegative(n, "padding", n.attrs().getPair("padding", ZERO));
        if (p[0] * 2 > k[0] || p[1] * 2 > k[1]) {
            throw new GraphException(n.name(), "padding must be at most half the kernel");
        }
        boolean ceil = n.attrs().getBool("ceil_mode", false);
        return Dims.of(x.get(0), window(n, x.get(1), k[0], s[0], p[0], 1, ceil), window(n, x.get(2), k[1], s[1], p[1], 1, ceil));
    }

    /** Output length of a sliding window, with PyTorch's rounding rules. */
    static int window(Node n, int size, int kernel, int stride, int pad, int dilation, boolean ceil) {
        int span = dilation * (kernel - 1) + 1;
        int room = size + 2 * pad - span;
        if (room < 0) {
            throw new GraphException(n.name(), "window " + span + " does not fit input size " + size + " with padding " + pad);
        }
        int out = (ceil ? Math.floorDiv(room + stride - 1, stride) : Math.floorDiv(room, stride)) + 1;
        if (ceil && (out - 1) * stride >= size + pad) {
            out--; // the last window must start inside the input or its left padding
        }
        return out;
    }
}
