package dev.netpress.data;

import java.util.random.RandomGenerator;

/**
 * A per-example image transform. Random transforms draw only from the generator passed in, so a run seeded the
 * same way augments the same way; deterministic ones (for validation) ignore it.
 */
@FunctionalInterface
public interface Transform {
    Example apply(Example example, RandomGenerator random);
}
