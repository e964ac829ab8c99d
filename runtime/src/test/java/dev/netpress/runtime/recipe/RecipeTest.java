package dev.netpress.runtime.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecipeTest {
    private final Recipe recipe = new Recipe("r", "r.in", inputs(),
            List.of(RecipeStep.of("distill", Map.of("teacher", "${inputs.teacher}", "epochs", "1")),
                    RecipeStep.of("prune", Map.of()),
                    new RecipeStep("evaluate", Map.of("baseline", "${inputs.baseline}", "max_accuracy_drop", "1"),
                            Optional.of("gate"))),
            "r.accepted", "r.rejected");

    private static Map<String, String> inputs() {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("teacher", "the teacher");
        inputs.put("baseline", "the baseline");
        return inputs;
    }

    @Test
    void wiresEachStepToTheNext() {
        assertEquals("r.in", recipe.topicIn(1));
        assertEquals("netpress.r.1.distill", recipe.topicOut(1));
        assertEquals("netpress.r.1.distill", recipe.topicIn(2));
        assertEquals("netpress.r.2.prune", recipe.topicOut(2));
        assertEquals("r.accepted", recipe.topicOut(3));
        assertEquals("netpress.r.2.prune.dlq", recipe.dlq(3));
        assertEquals("netpress.r.3.gate", recipe.groupId(3));
        assertEquals(List.of("r.in", "netpress.r.1.distill", "netpress.r.2.prune", "r.accepted", "r.rejected",
                "r.in.dlq", "netpress.r.1.distill.dlq", "netpress.r.2.prune.dlq"), List.copyOf(recipe.topics()));
        assertThrows(IndexOutOfBoundsException.class, () -> recipe.topicIn(4));
    }

    @Test
    void routesARejectedModelToTheRejectedSink() {
        assertEquals("r.rejected", recipe.route(3, false));
        assertEquals("r.accepted", recipe.route(3, true));
        assertEquals("r.accepted", recipe.route(3, null));
        assertEquals("netpress.r.2.prune", recipe.route(2, null));
    }

    @Test
    void namesStepsByNumberOrName() {
        assertEquals(3, recipe.stepNumber("gate"));
        assertEquals(2, recipe.stepNumber("2"));
        assertEquals("recipe r has no step 'prune': give 1 to 3 or a step's name",
                assertThrows(IllegalArgumentException.class, () -> recipe.stepNumber("prune")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> recipe.stepNumber("4"));
    }

    @Test
    void bindsInputsWhenARunStarts() {
        assertEquals(Set.of("baseline", "teacher"), recipe.inputsUsed());
        Recipe bound = recipe.bind(Map.of("teacher", "s3://models/teacher.safetensors", "baseline", "/tmp/$base.safetensors"));
        assertEquals("s3://models/teacher.safetensors", bound.step(1).options().get("teacher"));
        assertEquals("/tmp/$base.safetensors", bound.step(3).options().get("baseline"));
        assertEquals(recipe.topics(), bound.topics());
        assertEquals(Set.of(), bound.inputsUsed());

        assertEquals("recipe r needs input 'baseline' (the baseline)",
                assertThrows(RecipeException.class, () -> recipe.bind(Map.of("teacher", "t"))).getMessage());
        assertEquals("recipe r has no input 'techer'; its inputs are teacher, baseline",
                assertThrows(RecipeException.class, () -> recipe.bind(Map.of("techer", "x"))).getMessage());
    }
}
