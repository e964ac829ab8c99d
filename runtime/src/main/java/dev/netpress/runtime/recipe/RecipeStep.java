package dev.netpress.runtime.recipe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a recipe: the technique that runs it, its options as text (what the technique's
 * parse reads), and an optional name that makes its topics more readable and lets a stage service
 * be started by name instead of number.
 *
 * @param stage the technique's name
 * @param options option name to text, in the recipe's order; values may hold {@code ${inputs.NAME}}
 * @param name the explicit step name, if the recipe gives one
 */
public record RecipeStep(String stage, Map<String, String> options, Optional<String> name) {
    public RecipeStep {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(name, "name");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public static RecipeStep of(String stage, Map<String, String> options) {
        return new RecipeStep(stage, options, Optional.empty());
    }

    /** The explicit name, or else the stage: what topic names and messages call this step. */
    public String label() {
        return name.orElse(stage);
    }

    /**
     * Whether this step judges: evaluate with a gate. The gate's option is named here rather than
     * asked of the technique, so the runtime needs no compile-time dependency on the evaluate stage.
     */
    public boolean gated() {
        return stage.equals("evaluate") && !options.getOrDefault("max_accuracy_drop", "").isBlank();
    }

    RecipeStep withOptions(Map<String, String> newOptions) {
        return new RecipeStep(stage, newOptions, name);
    }
}
