package dev.netpress.technique;

import java.util.Objects;

/**
 * One option of a technique: its name as written in recipes and on the command line
 * ({@code --name value}), its default as text (empty for "not set"), and what it means.
 */
public record OptionDef(String name, String defaultValue, String description) {
    public OptionDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("option names are lower_snake_case, got '" + name + "'");
        }
    }
}
