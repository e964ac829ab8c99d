package dev.netpress.stages.sparsify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Values by name, in the order added; an unknown name is an error that lists the valid ones. */
final class Choices<T> {
    private final String what;
    private final String scope;
    private final Map<String, T> byName = new LinkedHashMap<>();

    Choices(String what) {
        this(what, "");
    }

    /** Choices of {@code what} valid only {@code scope}, e.g. "for linear layers". */
    Choices(String what, String scope) {
        this.what = what;
        this.scope = scope.isEmpty() ? "" : " " + scope;
    }

    Choices<T> add(String name, T value) {
        if (byName.putIfAbsent(name, value) != null) {
            throw new IllegalStateException(what + " '" + name + "' is registered twice");
        }
        return this;
    }

    T get(String name) {
        T v = byName.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown " + what + " '" + name + "'" + scope + "; valid: " + String.join(", ", names()));
        }
        return v;
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
