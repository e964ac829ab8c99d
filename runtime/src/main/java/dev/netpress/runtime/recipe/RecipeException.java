package dev.netpress.runtime.recipe;

/**
 * A recipe refused when loaded or bound. The message names the file, the line where known, and
 * the step, so it can be shown as it is.
 */
public final class RecipeException extends IllegalArgumentException {
    public RecipeException(String message) {
        super(message);
    }

    public RecipeException(String message, Throwable cause) {
        super(message, cause);
    }
}
