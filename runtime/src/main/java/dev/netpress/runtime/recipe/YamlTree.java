package dev.netpress.runtime.recipe;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML document as mappings, sequences and scalars, each with its line. Read token by token
 * rather than bound to a tree of Jackson nodes, because a recipe needs two things that tree loses:
 * the line of every key (for error messages) and each scalar's text exactly as written ({@code 1e-3}
 * stays {@code 1e-3}, {@code 2:4} is not read as a base-60 number). Duplicate keys are refused.
 */
final class YamlTree {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {}

    sealed interface Node permits Scalar, Mapping, Sequence {
        int line();
    }

    /** A scalar; null and {@code ~} read as empty text. */
    record Scalar(String text, int line) implements Node {}

    record Entry(String key, int line, Node value) {}

    record Mapping(Map<String, Entry> entries, int line) implements Node {}

    record Sequence(List<Node> items, int line) implements Node {}

    /** A syntax error at a line and column (1-based). */
    static final class SyntaxException extends Exception {
        final int line;
        final int column;
        final String problem;

        SyntaxException(int line, int column, String problem) {
            super("line " + line + ", column " + column + ": " + problem);
            this.line = line;
            this.column = column;
            this.problem = problem;
        }
    }

    /** The document's root, or null when the text holds no document. */
    static Node read(String text) throws SyntaxException {
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) {
                return null;
            }
            Node root = node(p);
            if (p.nextToken() != null) {
                throw new SyntaxException(line(p), column(p), "a recipe is one YAML document; another starts here");
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            throw new SyntaxException(line, column, problem(e));
        } catch (IOException e) {
            throw new UncheckedIOException("reading YAML from a string", e);
        }
    }

    private static Node node(JsonParser p) throws IOException, SyntaxException {
        int line = line(p);
        // Jackson hands an alias back as its anchor's name, not the anchored value
        if (((YAMLParser) p).isCurrentAlias()) {
            throw new SyntaxException(line, column(p), "aliases (*" + p.getText() + ") are not supported in recipes");
        }
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    if (entries.containsKey(key)) {
                        throw new SyntaxException(keyLine, column(p), "key '" + key + "' appears twice (first on line "
                                + entries.get(key).line() + ")");
                    }
                    p.nextToken();
                    entries.put(key, new Entry(key, keyLine, node(p)));
                }
                return new Mapping(Collections.unmodifiableMap(entries), line);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p));
                }
                return new Sequence(List.copyOf(items), line);
            }
            case VALUE_NULL -> {
                return new Scalar("", line);
            }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(p.getText(), line);
            }
            default -> throw new SyntaxException(line, column(p), "unexpected " + t + " (binary values are not used)");
        }
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static int column(JsonParser p) {
        return p.currentTokenLocation().getColumnNr();
    }

    /**
     * SnakeYAML's own message quotes the text and marks positions over several lines; its problem,
     * plus where the enclosing block began (the usual culprit is that block's indentation), reads
     * better in one line.
     */
    private static String problem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblem() != null) {
            String where = m.getContext() == null || m.getContextMark() == null ? ""
                    : " (" + m.getContext() + " that starts on line " + (m.getContextMark().getLine() + 1) + ")";
            return m.getProblem() + where;
        }
        return e.getOriginalMessage();
    }
}
