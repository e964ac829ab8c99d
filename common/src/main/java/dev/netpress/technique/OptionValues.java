package dev.netpress.technique;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The options given to a technique, over its declared defaults. Unknown names are refused, and
 * every typed getter names the option when its value does not parse, so a bad recipe or command
 * line fails before any work starts.
 */
public final class OptionValues {
    private final String technique;
    private final Map<String, String> values;

    private OptionValues(String technique, Map<String, String> values) {
        this.technique = technique;
        this.values = values;
    }

    public static OptionValues of(String technique, List<OptionDef> defs, Map<String, String> given) {
        Map<String, String> v = new LinkedHashMap<>();
        defs.forEach(d -> v.put(d.name(), d.defaultValue()));
        for (Map.Entry<String, String> e : given.entrySet()) {
            String key = e.getKey().replace('-', '_');
            if (!v.containsKey(key)) {
                throw new IllegalArgumentException(technique + " has no option '" + e.getKey() + "'; its options are "
                        + defs.stream().map(OptionDef::name).collect(Collectors.joining(", ")));
            }
            v.put(key, e.getValue() == null ? "" : e.getValue().trim());
        }
        return new OptionValues(technique, v);
    }

    /** Every option's value, defaults included, as text (what a model card records). */
    public Map<String, String> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    public String string(String name) {
        String v = raw(name);
        if (v.isEmpty()) {
            throw bad(name, v, "a value is required");
        }
        return v;
    }

    public Optional<String> optionalString(String name) {
        String v = raw(name);
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public int integer(String name) {
        try {
            return Integer.parseInt(string(name));
        } catch (NumberFormatException e) {
            throw bad(name, raw(name), "expected an integer");
        }
    }

    public long longValue(String name) {
        try {
            return Long.parseLong(string(name));
        } catch (NumberFormatException e) {
            throw bad(name, raw(name), "expected an integer");
        }
    }

    public double number(String name) {
        try {
            double d = Double.parseDouble(string(name));
            if (!Double.isFinite(d)) {
                throw bad(name, raw(name), "expected a finite number");
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(name, raw(name), "expected a number");
        }
    }

    public Optional<Double> optionalNumber(String name) {
        return raw(name).isEmpty() ? Optional.empty() : Optional.of(number(name));
    }

    public boolean flag(String name) {
        String v = string(name).toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw bad(name, v, "expected true or false");
        };
    }

    /** A comma-separated list; empty when not set. */
    public List<String> list(String name) {
        String v = raw(name);
        return v.isEmpty() ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A comma-separated list of {@code key=number} pairs (e.g. a per-layer sparsity map). */
    public Map<String, Double> numberMap(String name) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String item : list(name)) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw bad(name, raw(name), "expected key=number pairs separated by commas");
            }
            try {
                m.put(item.substring(0, eq).trim(), Double.parseDouble(item.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                throw bad(name, raw(name), "'" + item + "' is not key=number");
            }
        }
        return m;
    }

    private String raw(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalStateException(technique + " reads undeclared option '" + name + "'");
        }
        return v;
    }

    private IllegalArgumentException bad(String name, String value, String why) {
        return new IllegalArgumentException(technique + " option " + name + " = '" + value + "': " + why);
    }
}
