package dev.netpress.stages.sparsify;

import java.util.Locale;

/** What a sparsity budget counts: weights removed, or the multiply-accumulates they took part in. */
public enum Objective {
    PARAMS, MACS;

    /** {@code params} or {@code macs}; fails naming both. */
    public static Objective parse(String name) {
        for (Objective o : values()) {
            if (o.name().toLowerCase(Locale.ROOT).equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown objective '" + name + "'; valid: params, macs");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
