package dev.netpress.stages.distill;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The registry of distillation losses by name: the only place their names are spelled. */
public enum LossKind {
    SOFT_TARGET("soft_target"),
    LOGITS("logits"),
    MUTUAL("mutual"),
    DECOUPLED("decoupled"),
    ATTENTION("attention"),
    FITNET("fitnet"),
    SIMILARITY("similarity"),
    ACTIVATION_BOUNDARIES("activation_boundaries");

    private final String wireName;

    LossKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static LossKind parse(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown distillation loss '" + name + "'; choose one of "
                        + Arrays.stream(values()).map(LossKind::wireName).collect(Collectors.joining(", "))));
    }

    /** The loss with its parameters taken from the options. */
    public DistillLoss create(DistillOptions o) {
        return create(o.temperature(), o.alpha(), o.beta(), o.p(), o.margin());
    }

    /** The loss with the parameters it uses (the others are ignored). */
    public DistillLoss create(double temperature, double alpha, double beta, double p, double margin) {
        return switch (this) {
            case SOFT_TARGET -> Losses.softTarget(temperature);
            case LOGITS -> Losses.logits();
            case MUTUAL -> Losses.mutual();
            case DECOUPLED -> Losses.decoupled(alpha, beta, temperature);
            case ATTENTION -> Losses.attention(p);
            case FITNET -> Losses.fitnet();
            case SIMILARITY -> Losses.similarity();
            case ACTIVATION_BOUNDARIES -> Losses.activationBoundaries(margin);
        };
    }
}
