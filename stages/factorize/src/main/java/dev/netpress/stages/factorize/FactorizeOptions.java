package dev.netpress.stages.factorize;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Options of low-rank factorization of linear layers. Exactly one rank rule is set: either a
 * share of singular values to drop, or a share of the spectral energy to keep.
 *
 * @param percentRemoved share of singular values to drop, in (0, 1): a layer [out, in] keeps
 *     {@code round((1 − p)·min(out, in))}, at least 1 (fasterai's FC_Decomposer rule); null when
 *     the energy rule is used
 * @param energyThreshold share of the energy Σσᵢ² to keep, in (0, 1): the smallest rank k with
 *     Σ_{i≤k} σᵢ² ≥ threshold·Σσᵢ²; null when the percent rule is used
 * @param layers names of the linear layers to factorize; empty means every linear layer except
 *     the classifier (a linear whose output is a graph output)
 * @param randomizedAbove weights with more elements than this use the randomized SVD; smaller
 *     ones get EJML's exact SVD
 * @param oversampling extra columns of the randomized sketch beyond the rank sought
 * @param powerIterations extra applications of W·Wᵀ to the sketch, each followed by
 *     re-orthonormalisation; they sharpen the subspace when singular values decay slowly. The
 *     defaults, 30 and 4, matter where the cut falls in a flat bulk of singular values, as at 50%
 *     of a 4096×25088 layer of noise plus a decaying head: 10 and 2 left the error 3.8% above the
 *     optimum there, 30 and 4 left 1.4%, for about 15% more time
 * @param seed seed of the Gaussian test matrix
 */
public record FactorizeOptions(Double percentRemoved, Double energyThreshold, List<String> layers,
        long randomizedAbove, int oversampling, int powerIterations, long seed) {

    /** 512×512 and smaller: EJML's exact SVD takes under a CPU-second there (0.4–0.7 s measured at 512×512). */
    public static final long DEFAULT_RANDOMIZED_ABOVE = 512L * 512;
    public static final int DEFAULT_OVERSAMPLING = 30;
    public static final int DEFAULT_POWER_ITERATIONS = 4;

    public FactorizeOptions {
        if ((percentRemoved == null) == (energyThreshold == null)) {
            throw new IllegalArgumentException("factorize needs exactly one of percentRemoved or energyThreshold, got "
                    + (percentRemoved == null ? "neither" : "both"));
        }
        if (percentRemoved != null && !(percentRemoved > 0 && percentRemoved < 1)) {
            throw new IllegalArgumentException("percentRemoved must be in (0, 1), got " + percentRemoved);
        }
        if (energyThreshold != null && !(energyThreshold > 0 && energyThreshold < 1)) {
            throw new IllegalArgumentException("energyThreshold must be in (0, 1), got " + energyThreshold);
        }
        Objects.requireNonNull(layers, "layers");
        layers = List.copyOf(layers);
        Set<String> seen = new HashSet<>();
        for (String l : layers) {
            if (l.isBlank()) {
                throw new IllegalArgumentException("layer names must not be blank");
            }
            if (!seen.add(l)) {
                throw new IllegalArgumentException("layer '" + l + "' is listed twice");
            }
        }
        if (randomizedAbove < 0) {
            throw new IllegalArgumentException("randomizedAbove must not be negative, got " + randomizedAbove);
        }
        if (oversampling < 0) {
            throw new IllegalArgumentException("oversampling must not be negative, got " + oversampling);
        }
        if (powerIterations < 0) {
            throw new IllegalArgumentException("powerIterations must not be negative, got " + powerIterations);
        }
    }

    /** Drops {@code percent} of each layer's singular values, with the default sketch settings. */
    public static FactorizeOptions percentRemoved(double percent) {
        return new FactorizeOptions(percent, null, List.of(), DEFAULT_RANDOMIZED_ABOVE, DEFAULT_OVERSAMPLING,
                DEFAULT_POWER_ITERATIONS, 0);
    }

    /** Keeps {@code threshold} of each layer's energy Σσᵢ², with the default sketch settings. */
    public static FactorizeOptions energy(double threshold) {
        return new FactorizeOptions(null, threshold, List.of(), DEFAULT_RANDOMIZED_ABOVE, DEFAULT_OVERSAMPLING,
                DEFAULT_POWER_ITERATIONS, 0);
    }

    public FactorizeOptions withLayers(List<String> names) {
        return new FactorizeOptions(percentRemoved, energyThreshold, names, randomizedAbove, oversampling,
                powerIterations, seed);
    }

    public FactorizeOptions withRandomized(long above, int oversample, int iterations) {
        return new FactorizeOptions(percentRemoved, energyThreshold, layers, above, oversample, iterations, seed);
    }

    public FactorizeOptions withSeed(long s) {
        return new FactorizeOptions(percentRemoved, energyThreshold, layers, randomizedAbove, oversampling,
                powerIterations, s);
    }

    /** The rule in words, e.g. "50% of singular values removed". */
    public String ruleDescription() {
        return percentRemoved != null ? percent(percentRemoved) + " of singular values removed"
                : percent(energyThreshold) + " of the energy kept";
    }

    static String percent(double share) {
        return new BigDecimal(share * 100).round(new MathContext(6)).stripTrailingZeros().toPlainString() + "%";
    }
}
