package dev.netpress.runtime.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The recipes under recipes/ at the repository root, and their copies shipped in the runtime jar. */
class RecipesShippedTest {
    /** Surefire runs in the module's folder. */
    private static final Path ROOT_RECIPES = Path.of("..", "recipes");
    private final RecipeLoader loader = new RecipeLoader();

    @Test
    void theRepositoryFilesAndTheResourcesAreTheSame() throws IOException {
        for (String name : RecipeLoader.BUILTIN) {
            String file = Files.readString(ROOT_RECIPES.resolve(name + ".yaml"), StandardCharsets.UTF_8);
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("recipes/" + name + ".yaml")) {
                assertEquals(file, new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
            }
            assertEquals(loader.builtin(name), loader.load(ROOT_RECIPES.resolve(name + ".yaml")));
        }
    }

    @Test
    void walkthrough() {
        Recipe r = loader.builtin("walkthrough");
        assertEquals(List.of("distill", "sparsify", "prune", "distill", "factorize", "fold", "quantize", "evaluate"),
                r.steps().stream().map(RecipeStep::stage).toList());
        assertEquals(Map.of("teacher", "${inputs.teacher}", "loss", "soft_target", "temperature", "5", "weight", "0.5",
                "epochs", "3", "lr", "1e-3"), r.step(1).options());
        assertEquals(Set.of("teacher", "baseline"), r.inputsUsed());
        assertEquals(Map.of("percent_removed", "0.75", "epochs", "1", "lr", "1e-4"), r.step(5).options());
        assertEquals(true, r.step(8).gated());
        assertEquals(List.of(
                "walkthrough.in",
                "netpress.walkthrough.1.distill",
                "netpress.walkthrough.2.sparsify",
                "netpress.walkthrough.3.prune",
                "netpress.walkthrough.4.recover",
                "netpress.walkthrough.5.factorize",
                "netpress.walkthrough.6.fold",
                "netpress.walkthrough.7.quantize",
                "walkthrough.accepted",
                "walkthrough.rejected",
                "walkthrough.in.dlq",
                "netpress.walkthrough.1.distill.dlq",
                "netpress.walkthrough.2.sparsify.dlq",
                "netpress.walkthrough.3.prune.dlq",
                "netpress.walkthrough.4.recover.dlq",
                "netpress.walkthrough.5.factorize.dlq",
                "netpress.walkthrough.6.fold.dlq",
                "netpress.walkthrough.7.quantize.dlq"), List.copyOf(r.topics()));
        assertEquals(8, r.stepNumber("gate"));
        assertEquals("netpress.walkthrough.8.gate", r.groupId(8));
    }

    @Test
    void quick() {
        Recipe r = loader.builtin("quick");
        assertEquals(List.of("prune", "fold", "evaluate"), r.steps().stream().map(RecipeStep::stage).toList());
        assertEquals(List.of("quick.in", "netpress.quick.1.prune", "netpress.quick.2.fold", "quick.accepted",
                "quick.rejected", "quick.in.dlq", "netpress.quick.1.prune.dlq", "netpress.quick.2.fold.dlq"),
                List.copyOf(r.topics()));
        assertEquals("quick.accepted", r.topicOut(3));
        assertEquals("/models/base.safetensors", r.bind(Map.of("baseline", "/models/base.safetensors")).step(3).options()
                .get("baseline"));
    }
}
