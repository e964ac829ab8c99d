package dev.netpress.cli;

import dev.netpress.runtime.recipe.Recipe;
import dev.netpress.runtime.recipe.RecipeLoader;
import dev.netpress.runtime.store.ArtifactStore;
import dev.netpress.runtime.store.StoredArtifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** How the pipeline commands find a recipe and bind its inputs. */
final class Recipes {
    private Recipes() {}

    /** A shipped recipe by name ({@value RecipeLoader#BUILTIN}) or a YAML file. */
    static Recipe load(CommandLine cl, String nameOrFile) {
        try {
            RecipeLoader loader = new RecipeLoader();
            if (RecipeLoader.BUILTIN.contains(nameOrFile)) {
                return loader.builtin(nameOrFile);
            }
            Path file = Path.of(nameOrFile);
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(cl, "no recipe '" + nameOrFile + "': neither a shipped one ("
                        + String.join(", ", RecipeLoader.BUILTIN) + ") nor a file");
            }
            return loader.load(file);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        } catch (IOException e) {
            throw new ParameterException(cl, "cannot read recipe " + nameOrFile + ": " + e.getMessage());
        }
    }

    /**
     * Binds a recipe's inputs. A value that names a local artifact file is put into the store
     * first and bound by its content ({@code sha256:<hex>}); any other value (a store URI or a
     * {@code sha256:} reference) is bound as it is.
     */
    static Recipe bind(CommandLine cl, Recipe recipe, Map<String, String> given, ArtifactStore store) throws IOException {
        Map<String, String> bound = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            Path file = Path.of(e.getValue());
            bound.put(e.getKey(), Files.isRegularFile(file) ? reference(put(cl, store, file)) : e.getValue());
        }
        try {
            return recipe.bind(bound);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
    }

    static StoredArtifact put(CommandLine cl, ArtifactStore store, Path file) throws IOException {
        String sha = ApplyCommand.load(cl, file).sha256();
        return store.put(file, sha);
    }

    static String reference(StoredArtifact stored) {
        return "sha256:" + stored.sha256();
    }
}
