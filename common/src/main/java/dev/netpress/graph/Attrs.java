package dev.netpress.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's attributes: an immutable map from name to an int, a double, a boolean, a string or
 * a list of ints. Typed getters fail with a clear message when a value has the wrong type.
 */
public final class Attrs {
    public static final Attrs NONE = new Attrs(Map.of());

    private final Map<String, Object> values;

    private Attrs(Map<String, Object> values) {
        this.values = values;
    }

    /** Builds attributes from alternating name/value pairs; int[] values become int lists. */
    public static Attrs of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs");
        }
        Map<String, Object> m = new TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], normalize((String) namesAndValues[i], namesAndValues[i + 1]));
        }
        return new Attrs(Collections.unmodifiableMap(m));
    }

    /** Attributes read from JSON: numbers, booleans, strings and lists of integers. */
    public static Attrs fromMap(Map<String, ?> raw) {
        Map<String, Object> m = new TreeMap<>();
        raw.forEach((k, v) -> m.put(k, normalize(k, v)));
        return new Attrs(Collections.unmodifiableMap(m));
    }

    private static Object normalize(String name, Object v) {
        if (v instanceof int[] a) {
            List<Integer> l = new ArrayList<>();
            for (int x : a) {
                l.add(x);
            }
            return List.copyOf(l);
        }
        if (v instanceof List<?> l) {
            List<Integer> out = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw new IllegalArgumentException("attribute '" + name + "' must be a list of integers, got " + l);
                }
                out.add(n.intValue());
            }
            return List.copyOf(out);
        }
        if (v instanceof Integer || v instanceof Double || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Long || v instanceof Short || v instanceof Byte) {
            return Math.toIntExact(((Number) v).longValue());
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        throw new IllegalArgumentException("attribute '" + name + "' has unsupported value " + v);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public int getInt(String name, int dflt) {
        Object v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Integer i) {
            return i;
        }
        throw new IllegalArgumentException("attribute '" + name + "' must be an integer, got " + v);
    }

    public double getDouble(String name, double dflt) {
        Object v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("attribute '" + name + "' must be a number, got " + v);
    }

    public boolean getBool(String name, boolean dflt) {
        Object v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("attribute '" + name + "' must be true or false, got " + v);
    }

    /**
     * A pair-valued attribute such as stride or padding; a single integer stands for both
     * dimensions, as in PyTorch.
     */
    public int[] getPair(String name, int[] dflt) {
        Object v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Integer i) {
            return new int[] {i, i};
        }
        if (v instanceof List<?> l && l.size() == 2) {
            return new int[] {(Integer) l.get(0), (Integer) l.get(1)};
        }
        throw new IllegalArgumentException("attribute '" + name + "' must be an integer or a pair, got " + v);
    }

    /** A copy with one attribute set. */
    public Attrs with(String name, Object value) {
        Map<String, Object> m = new TreeMap<>(values);
        m.put(name, normalize(name, value));
        return new Attrs(Collections.unmodifiableMap(m));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attrs a && values.equals(a.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
