package dev.netpress.graph;

/**
 * A parameter role an op accepts. Trainable ones count as the model's parameters; the others
 * are buffers (batch-norm running statistics).
 */
public record ParamSlot(String role, boolean required, boolean trainable) {
    static ParamSlot weight() {
        return new ParamSlot("weight", true, true);
    }

    static ParamSlot optionalBias() {
        return new ParamSlot("bias", false, true);
    }

    /** Per-output-channel scale of an int8 weight (weight = int8 × scale). */
    static ParamSlot weightScale() {
        return new ParamSlot("weight_scale", false, false);
    }

    static ParamSlot required(String role) {
        return new ParamSlot(role, true, true);
    }

    static ParamSlot buffer(String role) {
        return new ParamSlot(role, true, false);
    }
}
