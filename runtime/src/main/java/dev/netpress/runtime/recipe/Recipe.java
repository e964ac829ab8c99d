package dev.netpress.runtime.recipe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recipe: a wiring of Kafka topics through an ordered list of steps. Step n (1-based) reads
 * {@link #topicIn(int)} and writes {@link #topicOut(int)}; step 1 reads the source, each later step
 * reads what the one before wrote, and the last writes the accepted sink. A step whose technique
 * rejects the model (evaluate's gate) sends it to the rejected sink instead. Failed jobs go to
 * {@code <input topic>.dlq}.
 *
 * <p>Recipes come from {@link RecipeLoader}, which validates them; option values may refer to
 * artifacts supplied when the recipe runs as {@code ${inputs.NAME}}, replaced by {@link #bind}.
 *
 * @param name the recipe's name, part of every derived topic name
 * @param source the topic models are submitted to
 * @param inputs the artifacts the recipe needs at run time: name to description
 * @param steps the steps, in order
 * @param accepted the topic the last step writes (accepted models)
 * @param rejected the topic rejected models go to
 */
public record Recipe(String name, String source, Map<String, String> inputs, List<RecipeStep> steps, String accepted,
        String rejected) {
    /** {@code ${inputs.NAME}}; any other {@code ${...}} is refused by the loader. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    static final String INPUTS_PREFIX = "inputs.";
    /** Appended to a step's input topic to name its dead-letter topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    public Recipe {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(rejected, "rejected");
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a recipe has at least one step");
        }
    }

    public static String defaultAccepted(String recipeName) {
        return recipeName + ".accepted";
    }

    public static String defaultRejected(String recipeName) {
        return recipeName + ".rejected";
    }

    /** Step n, 1-based. */
    public RecipeStep step(int n) {
        checkStep(n);
        return steps.get(n - 1);
    }

    /** The topic step n consumes. */
    public String topicIn(int n) {
        checkStep(n);
        return n == 1 ? source : topicOut(n - 1);
    }

    /** The topic step n publishes to (for the last step, the accepted sink). */
    public String topicOut(int n) {
        checkStep(n);
        return n == steps.size() ? accepted : derived(n);
    }

    /** Where step n sends an output event, given its technique's verdict (null when it does not judge). */
    public String route(int n, Boolean verdict) {
        return Boolean.FALSE.equals(verdict) ? rejected : topicOut(n);
    }

    /** The dead-letter topic of step n: its input topic plus {@value #DLQ_SUFFIX}. */
    public String dlq(int n) {
        return topicIn(n) + DLQ_SUFFIX;
    }

    /** The consumer group shared by every replica of step n's stage. */
    public String groupId(int n) {
        checkStep(n);
        return derived(n);
    }

    private String derived(int n) {
        return "netpress." + name + "." + n + "." + steps.get(n - 1).label();
    }

    /** Every topic the recipe reads or writes, each once: source, step outputs, sinks, dead-letter topics. */
    public Set<String> topics() {
        Set<String> all = new LinkedHashSet<>();
        all.add(source);
        for (int n = 1; n <= steps.size(); n++) {
            all.add(topicOut(n));
        }
        all.add(rejected);
        for (int n = 1; n <= steps.size(); n++) {
            all.add(dlq(n));
        }
        return Collections.unmodifiableSet(all);
    }

    /**
     * The number of the step a reference names: its 1-based number, or its explicit name.
     *
     * @throws IllegalArgumentException when it names no step
     */
    public int stepNumber(String ref) {
        if (ref.matches("\\d+")) {
            int n = Integer.parseInt(ref);
            if (n >= 1 && n <= steps.size()) {
                return n;
            }
        }
        for (int n = 1; n <= steps.size(); n++) {
            if (steps.get(n - 1).name().filter(ref::equals).isPresent()) {
                return n;
            }
        }
        throw new IllegalArgumentException("recipe " + name + " has no step '" + ref + "': give 1 to " + steps.size()
                + " or a step's name");
    }

    /** The inputs the steps' options refer to, sorted. */
    public Set<String> inputsUsed() {
        Set<String> used = new TreeSet<>();
        for (RecipeStep s : steps) {
            for (String v : s.options().values()) {
                Matcher m = PLACEHOLDER.matcher(v);
                while (m.find()) {
                    used.add(m.group(1).substring(INPUTS_PREFIX.length()));
                }
            }
        }
        return used;
    }

    /**
     * This recipe with every {@code ${inputs.NAME}} replaced by the artifact given for NAME (a path or
     * URI), as a run starts.
     *
     * @throws RecipeException when an input the steps use is not given, or a given one is not declared
     */
    public Recipe bind(Map<String, String> given) {
        for (String g : given.keySet()) {
            if (!inputs.containsKey(g)) {
                throw new RecipeException("recipe " + name + " has no input '" + g + "'; its inputs are "
                        + (inputs.isEmpty() ? "none" : String.join(", ", inputs.keySet())));
            }
        }
        for (String u : inputsUsed()) {
            if (given.getOrDefault(u, "").isBlank()) {
                throw new RecipeException("recipe " + name + " needs input '" + u + "' (" + inputs.get(u) + ")");
            }
        }
        List<RecipeStep> bound = new ArrayList<>();
        for (RecipeStep s : steps) {
            Map<String, String> options = new LinkedHashMap<>();
            s.options().forEach((k, v) -> options.put(k, substitute(v, given)));
            bound.add(s.withOptions(options));
        }
        return new Recipe(name, source, inputs, bound, accepted, rejected);
    }

    /** Replaces each {@code ${inputs.NAME}} in a value; names are known to be declared (the loader checked). */
    static String substitute(String value, Map<String, String> artifacts) {
        return PLACEHOLDER.matcher(value).replaceAll(
                m -> Matcher.quoteReplacement(artifacts.get(m.group(1).substring(INPUTS_PREFIX.length()))));
    }

    private void checkStep(int n) {
        if (n < 1 || n > steps.size()) {
            throw new IndexOutOfBoundsException("recipe " + name + " has steps 1 to " + steps.size() + ", not " + n);
        }
    }
}
