package dev.netpress.technique;

import dev.netpress.graph.Graph;
import java.io.IOException;
import java.util.List;

/**
 * One compression technique as the pipeline and the command line see it: a name, declared
 * options, a parse step that turns option text into the technique's typed options record (and
 * fails, naming the option, before any work), and the technique itself — graph in, graph out.
 * Each stage module provides one, registered with {@link java.util.ServiceLoader}; Kafka, storage
 * and metrics stay outside.
 *
 * @param <O> the technique's typed options
 */
public interface Technique<O> {
    /** The name used in recipes and as {@code netpress apply <name>}. */
    String name();

    /** One line saying what the technique does. */
    String description();

    List<OptionDef> options();

    O parse(OptionValues values);

    /** Applies the technique. Training data, other artifacts and a log come from the context. */
    TechniqueResult apply(Graph input, O options, TechniqueContext context) throws IOException;

    /** Parses raw option text against the declared options. */
    default O parse(java.util.Map<String, String> raw) {
        return parse(OptionValues.of(name(), options(), raw));
    }
}
