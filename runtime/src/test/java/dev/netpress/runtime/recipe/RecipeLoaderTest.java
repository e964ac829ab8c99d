package dev.netpress.runtime.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.graph.Graph;
import dev.netpress.technique.OptionDef;
import dev.netpress.technique.OptionValues;
import dev.netpress.technique.Technique;
import dev.netpress.technique.TechniqueContext;
import dev.netpress.technique.TechniqueResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecipeLoaderTest {
    private static final RecipeLoader LOADER = new RecipeLoader();

    private static final String HEAD = """
            name: t
            source: t.in
            """;

    private static Recipe load(String yaml) {
        return LOADER.parse(yaml, "t.yaml");
    }

    private static String refused(String yaml) {
        return assertThrows(RecipeException.class, () -> load(yaml)).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "expected '" + p + "' in: " + message);
        }
    }

    @Test
    void readsStepsWithTheirOptionsAsWritten() {
        Recipe r = load(HEAD + """
                steps:
                  - stage: prune
                    options: {mode: structured, ratio: 0.30, round-to: 8}
                  - stage: quantize
                    name: int8
                    options:
                      skip: [features.0, classifier.6]
                """);
        assertEquals(List.of(RecipeStep.of("prune", Map.of("mode", "structured", "ratio", "0.30", "round_to", "8")),
                new RecipeStep("quantize", Map.of("skip", "features.0,classifier.6"), java.util.Optional.of("int8"))),
                r.steps());
        assertEquals("t.accepted", r.accepted());
        assertEquals("t.rejected", r.rejected());
        assertEquals(Map.of(), r.inputs());
    }

    @Test
    void refusesAnUnknownStageListingTheKnownOnes() {
        String m = refused(HEAD + "steps:\n  - stage: prnue\n");
        // every technique on the class path is listed: the seven stages, and the stage tests' own sleep technique
        assertEquals("recipe t.yaml:4, step 1 (prnue): unknown stage 'prnue' (did you mean 'prune'?); stages are "
                + String.join(", ", dev.netpress.technique.Techniques.all().stream().map(t -> t.name()).toList()), m);
        assertTrue(m.contains("distill, evaluate, factorize, fold, prune, quantize"), m);
    }

    @Test
    void refusesAnUnknownOptionListingTheTechniquesOptions() {
        String m = refused(HEAD + """
                steps:
                  - stage: fold
                  - stage: fold
                  - stage: prune
                    options:
                      mode: structured
                      ratoi: 0.3
                """);
        assertContains(m, "recipe t.yaml:9, step 3 (prune): unknown option 'ratoi' (did you mean 'ratio'?); options are mode, ratio,");
    }

    @Test
    void refusesABadOptionValueWithTheTechniquesOwnMessage() {
        String m = refused(HEAD + """
                steps:
                  - stage: prune
                    options: {mode: structured, ratio: lots}
                """);
        assertEquals("recipe t.yaml:4, step 1 (prune): prune option ratio = 'lots': expected a number", m);

        assertContains(refused(HEAD + "steps:\n  - stage: evaluate\n    options: {min_speedup: 2}\n"),
                "step 1 (evaluate): evaluate option min_speedup needs max_accuracy_drop");
    }

    @Test
    void refusesMissingFields() {
        assertEquals("recipe t.yaml:1: missing name", refused("source: t.in\nsteps:\n  - stage: fold\n"));
        assertEquals("recipe t.yaml:1: missing source", refused("name: t\nsteps:\n  - stage: fold\n"));
        assertEquals("recipe t.yaml:1: missing steps", refused(HEAD));
        assertEquals("recipe t.yaml:3: missing steps", refused(HEAD + "steps:\n"));
        assertEquals("recipe t.yaml:3: steps must be a list of at least one step (- stage: ...)", refused(HEAD + "steps: []\n"));
        assertEquals("recipe t.yaml:5, step 2: missing stage", refused(HEAD + "steps:\n  - stage: fold\n  - name: x\n"));
        assertContains(refused(""), "recipe t.yaml:1: the file is empty");
    }

    @Test
    void refusesUnknownKeysAtEveryLevel() {
        assertEquals("recipe t.yaml:3: unknown key 'step' in a recipe (did you mean 'steps'?); keys are name, source, "
                + "inputs, steps, sinks", refused(HEAD + "step:\n  - stage: fold\n"));
        assertEquals("recipe t.yaml:5, step 1 (fold): unknown key 'option' in a step (did you mean 'options'?); keys are "
                + "stage, name, options", refused(HEAD + "steps:\n  - stage: fold\n    option: {}\n"));
        assertContains(refused(HEAD + "steps:\n  - stage: fold\nsinks:\n  accept: x\n"),
                "recipe t.yaml:6: unknown key 'accept' in sinks (did you mean 'accepted'?)");
    }

    @Test
    void refusesBadYamlNamingTheLine() {
        String m = refused(HEAD + """
                steps:
                  - stage: prune
                   options: {mode: zeroed}
                """);
        assertContains(m, "recipe t.yaml:5: bad YAML at column 4: expected <block end>", "starts on line 4");

        assertContains(refused(HEAD + "steps: [fold\n"), "recipe t.yaml:", "bad YAML");
        assertContains(refused(HEAD + "name: u\nsteps:\n  - stage: fold\n"),
                "recipe t.yaml:3: bad YAML at column 1: key 'name' appears twice (first on line 1)");
    }

    @Test
    void refusesCycles() {
        assertEquals("recipe t.yaml: cycle: step 2 (fold)'s output is topic 'netpress.t.2.fold', which is also the source",
                refused("name: t\nsource: netpress.t.2.fold\nsteps:\n  - stage: prune\n  - stage: fold\n  - stage: fold\n"));
        assertEquals("recipe t.yaml: cycle: the accepted sink is topic 't.in', which is also the source",
                refused(HEAD + "steps:\n  - stage: fold\nsinks:\n  accepted: t.in\n"));
        assertEquals("recipe t.yaml: topic clash: the rejected sink is topic 'x', which is also the accepted sink",
                refused(HEAD + "steps:\n  - stage: fold\nsinks: {accepted: x, rejected: x}\n"));
        assertEquals("recipe t.yaml: topic clash: step 1 (fold)'s dead-letter topic is topic 't.in.dlq', which is also "
                + "the rejected sink", refused(HEAD + "steps:\n  - stage: fold\nsinks: {rejected: t.in.dlq}\n"));
    }

    @Test
    void refusesDuplicateAndNumericStepNames() {
        assertEquals("recipe t.yaml:5, step 2 (a: prune): step name 'a' is already step 1's", refused(HEAD + """
                steps:
                  - {stage: fold, name: a}
                  - {stage: prune, name: a}
                """));
        assertContains(refused(HEAD + "steps:\n  - {stage: fold, name: 2}\n"),
                "step 1 (fold): step name '2' is a number");
        // unnamed steps of the same stage are fine: the step number keeps their topics apart
        assertEquals("netpress.t.1.fold", load(HEAD + "steps:\n  - stage: fold\n  - stage: fold\n").topicOut(1));
    }

    @Test
    void refusesBadTopicAndRecipeNames() {
        assertEquals("recipe t.yaml:2: source 'models in' is not a Kafka topic name: it may hold only letters, digits, "
                + "'.', '_' and '-'", refused("name: t\nsource: models in\nsteps:\n  - stage: fold\n"));
        assertContains(refused("name: t\nsource: " + "x".repeat(250) + "\nsteps:\n  - stage: fold\n"),
                "is longer than 249 characters");
        assertContains(refused(HEAD + "steps:\n  - stage: fold\nsinks: {accepted: ..}\n"), "accepted sink '..'");
        assertContains(refused("name: a.b\nsource: t.in\nsteps:\n  - stage: fold\n"),
                "recipe t.yaml:1: recipe name 'a.b' may hold only letters, digits, '_' and '-'");
        String longName = "n".repeat(240);
        assertContains(refused("name: " + longName + "\nsource: t.in\nsteps:\n  - stage: fold\n  - stage: fold\n"),
                "step 1 (fold)'s output would be topic 'netpress." + longName, "longer than 249");
    }

    @Test
    void refusesAGateBeforeTheLastStep() {
        assertEquals("recipe t.yaml:5, step 2 (evaluate): a gate (evaluate with max_accuracy_drop) must be the last step: "
                + "it judges the model the recipe delivers, and step 3 would change it after the verdict",
                refused(HEAD + """
                        steps:
                          - stage: prune
                          - stage: evaluate
                            options: {baseline: b.safetensors, max_accuracy_drop: 1}
                          - stage: fold
                        """));
        // evaluate without a gate only measures, and may stand anywhere
        assertEquals(2, load(HEAD + "steps:\n  - stage: evaluate\n  - stage: fold\n").steps().size());
    }

    @Test
    void checksPlaceholdersAgainstTheDeclaredInputs() {
        Recipe r = load(HEAD + """
                inputs:
                  teacher: the teacher
                steps:
                  - stage: distill
                    options: {teacher: "${inputs.teacher}", epochs: 1}
                """);
        assertEquals("${inputs.teacher}", r.step(1).options().get("teacher"));

        assertEquals("recipe t.yaml:8, step 1 (distill): option teacher refers to ${inputs.techer}, but the recipe's "
                + "inputs are teacher", refused(HEAD + """
                inputs:
                  teacher: the teacher
                steps:
                  - stage: distill
                    options:
                      teacher: ${inputs.techer}
                """));
        assertContains(refused(HEAD + "steps:\n  - stage: distill\n    options: {teacher: '${inputs.t}'}\n"),
                "the recipe declares no inputs");
        assertContains(refused(HEAD + "steps:\n  - stage: distill\n    options: {teacher: '${env.HOME}'}\n"),
                "${env.HOME} is not a placeholder; the only one is ${inputs.NAME}");
    }

    @Test
    void checksTheOtherOptionsOfAStepWithAPlaceholder() {
        assertEquals("recipe t.yaml:5, step 1 (distill): distill option temperature = 'hot': expected a number",
                refused(HEAD + """
                        inputs: {teacher: the teacher}
                        steps:
                          - stage: distill
                            options: {teacher: "${inputs.teacher}", temperature: hot}
                        """));
    }

    @Test
    void refusesOptionsThatAreNotPlainValues() {
        assertContains(refused(HEAD + "steps:\n  - stage: quantize\n    options:\n      skip: {a: 1}\n"),
                "recipe t.yaml:6, step 1 (quantize): option skip must be a plain value, not a mapping");
        assertContains(refused(HEAD + "steps:\n  - stage: quantize\n    options:\n      skip: ['a,b', c]\n"),
                "list item 'a,b' holds a comma");
        assertContains(refused(HEAD + "steps:\n  - stage: quantize\n    options: {skip: a, skip: b}\n"),
                "key 'skip' appears twice");
        assertContains(refused(HEAD + "steps:\n  - stage: prune\n    options: {round_to: 2, round-to: 4}\n"),
                "option round_to is given twice");
    }

    @Test
    void checksAgainstTheTechniquesItIsGiven() {
        RecipeLoader onlyFake = new RecipeLoader(List.of(new Fake()));
        assertEquals(Map.of("level", "3"), onlyFake.parse(HEAD + "steps:\n  - {stage: fake, options: {level: 3}}\n", "f.yaml")
                .step(1).options());
        assertEquals("recipe f.yaml:4, step 1 (prune): unknown stage 'prune'; stages are fake",
                assertThrows(RecipeException.class, () -> onlyFake.parse(HEAD + "steps:\n  - stage: prune\n", "f.yaml"))
                        .getMessage());
    }

    private static final class Fake implements Technique<Integer> {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String description() {
            return "does nothing";
        }

        @Override
        public List<OptionDef> options() {
            return List.of(new OptionDef("level", "1", "how much nothing"));
        }

        @Override
        public Integer parse(OptionValues values) {
            return values.integer("level");
        }

        @Override
        public TechniqueResult apply(Graph input, Integer options, TechniqueContext context) {
            return TechniqueResult.of(input, Map.of(), "nothing");
        }
    }
}
