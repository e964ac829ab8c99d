package dev.netpress.data;

import java.util.List;

/** Combinators over {@link Transform}s. */
public final class Transforms {
    private Transforms() {}

    /** Applies {@code steps} in order, all drawing from the same generator. With no steps, the identity. */
    public static Transform compose(Transform... steps) {
        List<Transform> list = List.of(steps);
        return (example, random) -> {
            Example out = example;
            for (Transform t : list) {
                out = t.apply(out, random);
            }
            return out;
        };
    }
}
