package dev.netpress.runtime.recipe;

import dev.netpress.runtime.recipe.YamlTree.Entry;
import dev.netpress.runtime.recipe.YamlTree.Mapping;
import dev.netpress.runtime.recipe.YamlTree.Node;
import dev.netpress.runtime.recipe.YamlTree.Scalar;
import dev.netpress.runtime.recipe.YamlTree.Sequence;
import dev.netpress.technique.OptionDef;
import dev.netpress.technique.Technique;
import dev.netpress.technique.Techniques;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a recipe from YAML and refuses a bad one before anything starts, with a message naming
 * the file, the line and the step: unknown keys, missing fields, unknown stages, options the
 * technique refuses (each step's options go through its technique's own parse), illegal topic
 * names, duplicate step names, cycles, and a gate that is not the last step.
 */
public final class RecipeLoader {
    /** The recipes shipped with netpress, as class-path resources {@code recipes/<name>.yaml}. */
    public static final List<String> BUILTIN = List.of("walkthrough", "quick");

    private static final List<String> TOP_KEYS = List.of("name", "source", "inputs", "steps", "sinks");
    private static final List<String> STEP_KEYS = List.of("stage", "name", "options");
    private static final List<String> SINK_KEYS = List.of("accepted", "rejected");
    /** Recipe, step and input names: topic characters without the dot, which separates a derived topic's parts. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int MAX_TOPIC = 249;

    private final Map<String, Technique<?>> techniques = new TreeMap<>();

    /** A loader that knows the techniques on the class path. */
    public RecipeLoader() {
        this(Techniques.all());
    }

    public RecipeLoader(Collection<? extends Technique<?>> techniques) {
        techniques.forEach(t -> this.techniques.put(t.name(), t));
    }

    /** The value a placeholder stands for while a step's options are checked at load time. */
    public static String placeholderPath(String input) {
        return "/netpress/inputs/" + input + ".safetensors";
    }

    public Recipe load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    /** One of the {@link #BUILTIN} recipes. */
    public Recipe builtin(String name) {
        if (!BUILTIN.contains(name)) {
            throw new RecipeException("no built-in recipe '" + name + "'; built-in recipes are " + String.join(", ", BUILTIN));
        }
        String resource = "recipes/" + name + ".yaml";
        try (InputStream in = RecipeLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name + ".yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    /**
     * Parses and validates a recipe.
     *
     * @param origin what messages call the text, usually its file name
     * @throws RecipeException naming the origin, the line and the step of the first problem found
     */
    public Recipe parse(String yaml, String origin) {
        Node root;
        try {
            root = YamlTree.read(yaml);
        } catch (YamlTree.SyntaxException e) {
            throw new RecipeException("recipe " + origin + ":" + e.line + ": bad YAML at column " + e.column + ": "
                    + e.problem, e);
        }
        return new Reading(origin).recipe(root);
    }

    /** One parse: the origin for messages, and the step being read. */
    private final class Reading {
        private final String origin;
        private String step = "";

        Reading(String origin) {
            this.origin = origin;
        }

        Recipe recipe(Node root) {
            if (root == null) {
                throw error(1, "the file is empty; a recipe has " + String.join(", ", TOP_KEYS));
            }
            Mapping top = mapping(root, "a recipe");
            checkKeys(top, TOP_KEYS, "a recipe");
            String name = name(required(top, "name"), "recipe name");
            String source = topic(required(top, "source"), "source");
            Map<String, String> inputs = inputs(top.entries().get("inputs"));

            String accepted = Recipe.defaultAccepted(name);
            String rejected = Recipe.defaultRejected(name);
            Entry sinksEntry = top.entries().get("sinks");
            if (sinksEntry != null) {
                Mapping sinks = mapping(sinksEntry.value(), "sinks");
                checkKeys(sinks, SINK_KEYS, "sinks");
                if (sinks.entries().containsKey("accepted")) {
                    accepted = topic(sinks.entries().get("accepted"), "accepted sink");
                }
                if (sinks.entries().containsKey("rejected")) {
                    rejected = topic(sinks.entries().get("rejected"), "rejected sink");
                }
            }

            Entry stepsEntry = required(top, "steps");
            if (!(stepsEntry.value() instanceof Sequence seq) || seq.items().isEmpty()) {
                throw error(stepsEntry.line(), "steps must be a list of at least one step (- stage: ...)");
            }
            List<RecipeStep> steps = new ArrayList<>();
            Map<String, Integer> names = new HashMap<>();
            List<Integer> lines = new ArrayList<>();
            for (Node item : seq.items()) {
                RecipeStep s = step(steps.size() + 1, item, inputs);
                s.name().ifPresent(n -> {
                    Integer earlier = names.putIfAbsent(n, steps.size() + 1);
                    if (earlier != null) {
                        throw error(item.line(), "step name '" + n + "' is already step " + earlier + "'s");
                    }
                });
                steps.add(s);
                lines.add(item.line());
            }
            step = "";
            for (int n = 1; n < steps.size(); n++) {
                if (steps.get(n - 1).gated()) {
                    step = label(n, steps.get(n - 1));
                    throw error(lines.get(n - 1), "a gate (evaluate with max_accuracy_drop) must be the last step: "
                            + "it judges the model the recipe delivers, and " + (n + 1 == steps.size() ? "step " + steps.size()
                            : "steps " + (n + 1) + " to " + steps.size()) + " would change it after the verdict");
                }
            }
            Recipe recipe = new Recipe(name, source, inputs, steps, accepted, rejected);
            checkTopics(recipe);
            return recipe;
        }

        private Map<String, String> inputs(Entry entry) {
            Map<String, String> inputs = new LinkedHashMap<>();
            if (entry == null) {
                return inputs;
            }
            for (Entry e : mapping(entry.value(), "inputs").entries().values()) {
                if (!NAME.matcher(e.key()).matches()) {
                    throw error(e.line(), "input name '" + e.key() + "' may hold only letters, digits, '_' and '-'");
                }
                inputs.put(e.key(), scalar(e, "input " + e.key() + "'s description"));
            }
            return inputs;
        }

        private RecipeStep step(int n, Node node, Map<String, String> inputs) {
            step = "step " + n;
            Mapping m = mapping(node, "a step");
            Entry named = m.entries().get("stage");
            if (named != null && named.value() instanceof Scalar s && !s.text().isBlank()) {
                step = "step " + n + " (" + s.text().trim() + ")";
            }
            checkKeys(m, STEP_KEYS, "a step");
            Entry stageEntry = required(m, "stage");
            String stage = scalar(stageEntry, "stage");
            Technique<?> technique = techniques.get(stage);
            if (technique == null) {
                throw error(stageEntry.line(), "unknown stage '" + stage + "'" + suggest(stage, techniques.keySet())
                        + "; stages are " + (techniques.isEmpty() ? "none (no technique on the class path)"
                        : String.join(", ", techniques.keySet())));
            }
            Optional<String> name = Optional.empty();
            if (m.entries().containsKey("name")) {
                Entry e = m.entries().get("name");
                String given = name(e, "step name");
                if (given.chars().allMatch(Character::isDigit)) {
                    throw error(e.line(), "step name '" + given + "' is a number; numbers already name steps by position");
                }
                name = Optional.of(given);
                step = "step " + n + " (" + given + ": " + stage + ")";
            }
            Map<String, String> options = options(m.entries().get("options"), technique, inputs);
            Map<String, String> check = new LinkedHashMap<>();
            options.forEach((k, v) -> check.put(k, Recipe.substitute(v, placeholders(inputs))));
            try {
                technique.parse(check);
            } catch (IllegalArgumentException e) {
                throw error(node.line(), e.getMessage());
            }
            return new RecipeStep(stage, options, name);
        }

        private Map<String, String> options(Entry entry, Technique<?> technique, Map<String, String> inputs) {
            Map<String, String> options = new LinkedHashMap<>();
            if (entry == null) {
                return options;
            }
            List<String> declared = technique.options().stream().map(OptionDef::name).toList();
            for (Entry e : mapping(entry.value(), "options").entries().values()) {
                // the command line's --weight-ramp is weight_ramp: one spelling in events and model cards
                String key = e.key().replace('-', '_');
                if (!declared.contains(key)) {
                    throw error(e.line(), "unknown option '" + e.key() + "'" + suggest(key, declared) + "; options are "
                            + String.join(", ", declared));
                }
                if (options.containsKey(key)) {
                    throw error(e.line(), "option " + key + " is given twice");
                }
                String value = optionValue(e);
                Matcher ph = Recipe.PLACEHOLDER.matcher(value);
                while (ph.find()) {
                    String ref = ph.group(1);
                    String input = ref.startsWith(Recipe.INPUTS_PREFIX) ? ref.substring(Recipe.INPUTS_PREFIX.length()) : null;
                    if (input == null) {
                        throw error(e.line(), "option " + key + ": ${" + ref + "} is not a placeholder; the only one is "
                                + "${inputs.NAME}, for an input the recipe declares");
                    }
                    if (!inputs.containsKey(input)) {
                        throw error(e.line(), "option " + key + " refers to ${inputs." + input + "}, but "
                                + (inputs.isEmpty() ? "the recipe declares no inputs (list them under inputs:)"
                                : "the recipe's inputs are " + String.join(", ", inputs.keySet())));
                    }
                }
                options.put(key, value);
            }
            return options;
        }

        /** A scalar as written, or a list of scalars joined by commas (the techniques' list syntax). */
        private String optionValue(Entry e) {
            if (e.value() instanceof Sequence seq) {
                List<String> items = new ArrayList<>();
                for (Node item : seq.items()) {
                    if (!(item instanceof Scalar s)) {
                        throw error(item.line(), "option " + e.key() + ": a list holds plain values only");
                    }
                    if (s.text().contains(",")) {
                        throw error(item.line(), "option " + e.key() + ": list item '" + s.text()
                                + "' holds a comma, which separates the items");
                    }
                    items.add(s.text().trim());
                }
                return String.join(",", items);
            }
            return scalar(e, "option " + e.key());
        }

        private void checkTopics(Recipe r) {
            step = "";
            // every topic once, with what it is for; the source and step outputs are the topics steps read
            Map<String, String> roles = new LinkedHashMap<>();
            Set<String> read = new HashSet<>();
            claim(roles, read, r.source(), "the source", true);
            for (int n = 1; n < r.steps().size(); n++) {
                claim(roles, read, r.topicOut(n), label(n, r.step(n)) + "'s output", true);
            }
            claim(roles, read, r.accepted(), "the accepted sink", false);
            claim(roles, read, r.rejected(), "the rejected sink", false);
            for (int n = 1; n <= r.steps().size(); n++) {
                claim(roles, read, r.dlq(n), label(n, r.step(n)) + "'s dead-letter topic", false);
            }
        }

        private void claim(Map<String, String> roles, Set<String> read, String topic, String role, boolean isRead) {
            String problem = topicProblem(topic);
            if (problem != null) {
                throw error(0, role + " would be topic '" + topic + "', which " + problem
                        + "; shorten the recipe or step names");
            }
            String earlier = roles.putIfAbsent(topic, role);
            if (earlier != null) {
                throw error(0, (read.contains(topic) ? "cycle: " : "topic clash: ") + role + " is topic '" + topic
                        + "', which is also " + earlier);
            }
            if (isRead) {
                read.add(topic);
            }
        }

        private Mapping mapping(Node node, String what) {
            if (!(node instanceof Mapping m)) {
                throw error(node.line(), what + " must be a mapping of key: value lines");
            }
            return m;
        }

        private Entry required(Mapping m, String key) {
            Entry e = m.entries().get(key);
            if (e == null || e.value() instanceof Scalar s && s.text().isBlank()) {
                throw error(e == null ? m.line() : e.line(), "missing " + key);
            }
            return e;
        }

        private String scalar(Entry e, String what) {
            if (!(e.value() instanceof Scalar s)) {
                throw error(e.line(), what + " must be a plain value, not a " + (e.value() instanceof Mapping ? "mapping" : "list"));
            }
            return s.text().trim();
        }

        private String name(Entry e, String what) {
            String v = scalar(e, what);
            if (!NAME.matcher(v).matches()) {
                throw error(e.line(), what + " '" + v + "' may hold only letters, digits, '_' and '-' (it is part of topic names)");
            }
            return v;
        }

        private String topic(Entry e, String what) {
            String v = scalar(e, what);
            if (v.isEmpty()) {
                throw error(e.line(), "missing " + what);
            }
            String problem = topicProblem(v);
            if (problem != null) {
                throw error(e.line(), what + " '" + v + "' is not a Kafka topic name: it " + problem);
            }
            return v;
        }

        private void checkKeys(Mapping m, List<String> allowed, String what) {
            for (Entry e : m.entries().values()) {
                if (!allowed.contains(e.key())) {
                    throw error(e.line(), "unknown key '" + e.key() + "' in " + what + suggest(e.key(), allowed)
                            + "; keys are " + String.join(", ", allowed));
                }
            }
        }

        private RecipeException error(int line, String message) {
            return new RecipeException("recipe " + origin + (line > 0 ? ":" + line : "")
                    + (step.isEmpty() ? "" : ", " + step) + ": " + message);
        }
    }

    private static String label(int n, RecipeStep s) {
        return "step " + n + " (" + s.label() + ")";
    }

    private static Map<String, String> placeholders(Map<String, String> inputs) {
        return inputs.keySet().stream().collect(Collectors.toMap(k -> k, RecipeLoader::placeholderPath));
    }

    /** Why a name is not a legal Kafka topic, or null when it is. */
    static String topicProblem(String topic) {
        if (topic.length() > MAX_TOPIC) {
            return "is longer than " + MAX_TOPIC + " characters";
        }
        if (topic.equals(".") || topic.equals("..")) {
            return "is '.' or '..'";
        }
        if (!TOPIC.matcher(topic).matches()) {
            return "may hold only letters, digits, '.', '_' and '-'";
        }
        return null;
    }

    /** " (did you mean 'x'?)" when a known word is within two edits of a mistyped one. */
    private static String suggest(String typed, Collection<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(typed, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    /** Levenshtein distance, with a transposition counted as one edit (optimal string alignment). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
