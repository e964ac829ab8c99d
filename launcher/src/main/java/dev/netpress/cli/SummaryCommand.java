package dev.netpress.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netpress.artifact.ArtifactException;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.graph.GraphSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netpress summary}: loads an artifact, which checks its embedded content digest, and prints its model card,
 * its per-node table and the file's SHA-256, as text or as one JSON object.
 */
@Command(name = "summary", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints an artifact's model card, per-node summary table and SHA-256, after checking its digest.")
final class SummaryCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ARTIFACT", description = "The artifact file (.safetensors).")
    Path file;

    @Option(names = "--json", description = "Print one JSON object (card, rows, totals, sha256, bytes) instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        LoadedArtifact artifact;
        try {
            artifact = Artifacts.load(file);
        } catch (ArtifactException e) {
            throw new ParameterException(spec.commandLine(), "cannot load artifact ("
                    + e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + "): " + e.getMessage());
        }
        GraphSummary summary = GraphSummary.of(artifact.graph());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(toJson(artifact, summary)));
        } else {
            Report.card(out, artifact.card());
            out.println();
            out.print(summary.table());
            out.println();
            Report.file(out, artifact.ref());
        }
        out.flush();
        return 0;
    }

    private static JsonNode toJson(LoadedArtifact artifact, GraphSummary summary) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("path", artifact.ref().path().toString());
        root.put("sha256", artifact.sha256());
        root.put("bytes", artifact.ref().bytes());
        root.set("card", JSON.readTree(artifact.card().toJson())); // exactly the card as stored
        root.set("rows", JSON.valueToTree(summary.rows()));
        ObjectNode totals = root.putObject("totals");
        totals.put("parameters", summary.parameters());
        totals.put("nonZeroParameters", summary.nonZeroParameters());
        totals.put("sparsity", summary.sparsity());
        totals.put("macs", summary.macs());
        return root;
    }
}
