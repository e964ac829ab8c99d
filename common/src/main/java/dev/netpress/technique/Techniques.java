package dev.netpress.technique;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The techniques on the class path, found through {@link ServiceLoader}. */
public final class Techniques {
    private Techniques() {}

    public static List<Technique<?>> all() {
        List<Technique<?>> found = new java.util.ArrayList<>();
        for (Technique<?> t : ServiceLoader.load(Technique.class)) {
            found.add(t);
        }
        found.sort(Comparator.comparing(Technique::name));
        return List.copyOf(found);
    }

    public static Technique<?> named(String name) {
        List<Technique<?>> all = all();
        return all.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown technique '" + name + "'; available: "
                        + all.stream().map(Technique::name).collect(Collectors.joining(", "))));
    }
}
