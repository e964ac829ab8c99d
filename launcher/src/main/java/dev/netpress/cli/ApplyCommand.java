package dev.netpress.cli;

import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.ArtifactException;
import dev.netpress.artifact.ArtifactRef;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.artifact.ModelCard;
import dev.netpress.data.DataLoader;
import dev.netpress.data.DatasetException;
import dev.netpress.data.DatasetSpec;
import dev.netpress.data.ImageDataset;
import dev.netpress.data.Split;
import dev.netpress.graph.Graph;
import dev.netpress.graph.GraphException;
import dev.netpress.graph.GraphSummary;
import dev.netpress.measure.Metric;
import dev.netpress.technique.OptionDef;
import dev.netpress.technique.Technique;
import dev.netpress.technique.TechniqueContext;
import dev.netpress.technique.TechniqueResult;
import dev.netpress.technique.Techniques;
import dev.netpress.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code netpress apply <technique> IN OUT [--option value ...]}: one technique on an artifact
 * file, without Kafka. The subcommands and their options are built from the techniques found on
 * the class path, so every option of a recipe step is an option here, with its default in
 * {@code --help}.
 */
final class ApplyCommand implements Callable<Integer> {
    private static final String DATASET = "--dataset";
    private static final String BATCH = "--batch-size";
    private static final String LIMIT = "--limit";
    private static final String VALID_LIMIT = "--valid-limit";

    private final Technique<?> technique;
    private final CommandSpec spec;

    private ApplyCommand(Technique<?> technique) {
        this.technique = technique;
        this.spec = CommandSpec.wrapWithoutInspection(this).name(technique.name()).mixinStandardHelpOptions(true);
        spec.usageMessage().description(technique.description());
        spec.addPositional(PositionalParamSpec.builder().index("0").paramLabel("IN").type(Path.class)
                .description("the input artifact").build());
        spec.addPositional(PositionalParamSpec.builder().index("1").paramLabel("OUT").type(Path.class)
                .description("where to write the output artifact").build());
        for (OptionDef d : technique.options()) {
            spec.addOption(OptionSpec.builder("--" + d.name().replace('_', '-')).paramLabel("VALUE").type(String.class)
                    .defaultValue(d.defaultValue())
                    .description(d.description() + (d.defaultValue().isEmpty() ? "" : " (default: ${DEFAULT-VALUE})"))
                    .build());
        }
        spec.addOption(OptionSpec.builder(DATASET).paramLabel("SPEC").type(String.class).defaultValue("fashion-mnist")
                .description("data for techniques that train or measure: fashion-mnist, fashion-mnist:DIR or "
                        + "csv:FILE.csv:ROOT:LABEL_COLUMN (default: ${DEFAULT-VALUE})").build());
        spec.addOption(OptionSpec.builder(BATCH).paramLabel("N").type(int.class).defaultValue("64")
                .description("training batch size (default: ${DEFAULT-VALUE})").build());
        spec.addOption(OptionSpec.builder(LIMIT).paramLabel("N").type(Integer.class)
                .description("use only the first N training examples (quick runs)").build());
        spec.addOption(OptionSpec.builder(VALID_LIMIT).paramLabel("N").type(Integer.class)
                .description("use only the first N test examples (quick runs)").build());
    }

    /** The {@code apply} command with one subcommand per technique. */
    static CommandLine commandLine() {
        CommandSpec apply = CommandSpec.create().name("apply").mixinStandardHelpOptions(true);
        apply.usageMessage().description("Applies one compression technique to an artifact file, without Kafka.");
        CommandLine cl = new CommandLine(apply);
        for (Technique<?> t : Techniques.all()) {
            ApplyCommand c = new ApplyCommand(t);
            cl.addSubcommand(t.name(), new CommandLine(c.spec));
        }
        return cl;
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        PrintWriter out = cl.getOut();
        Path in = spec.positionalParameters().get(0).getValue();
        Path outFile = spec.positionalParameters().get(1).getValue();
        Map<String, String> raw = new LinkedHashMap<>();
        for (OptionDef d : technique.options()) {
            raw.put(d.name(), spec.findOption("--" + d.name().replace('_', '-')).getValue());
        }
        int batch = spec.findOption(BATCH).getValue();
        if (batch < 1) {
            throw new ParameterException(cl, "--batch-size must be at least 1, got " + batch);
        }
        DatasetSpec dataset;
        try {
            dataset = DatasetSpec.parse(spec.findOption(DATASET).getValue());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--dataset: " + e.getMessage());
        }
        Object options;
        try {
            options = technique.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
        LoadedArtifact input = load(cl, in);
        int imageSize = input.graph().inputs().get(0).shape().get(-1);
        try (LocalData data = new LocalData(dataset, batch, spec.findOption(LIMIT).getValue(),
                spec.findOption(VALID_LIMIT).getValue(), imageSize)) {
            TechniqueRun run = TechniqueRun.apply(technique, options, raw,
                    new LocalContext(input, data, WriterOutputStream.printStream(out)), outFile);
            TechniqueResult r = run.result();
            out.println(technique.name() + ": " + r.summary());
            if (r.accepted() != null) {
                out.println("verdict      " + (r.accepted() ? "accepted" : "rejected"));
            }
            out.printf(Locale.ROOT, "%-12s %,d → %,d (%.2fx)%n", "parameters", run.before().parameters(),
                    run.after().parameters(), (double) run.before().parameters() / run.after().parameters());
            out.printf(Locale.ROOT, "%-12s %,d → %,d (%.2fx)%n", "MACs", run.before().macs(), run.after().macs(),
                    (double) run.before().macs() / Math.max(1, run.after().macs()));
            out.printf(Locale.ROOT, "%-12s %.1f s%n", "took", run.seconds());
            Report.file(out, run.saved());
            out.flush();
            return 0;
        } catch (TrainingDivergedException e) {
            cl.getErr().println(technique.name() + " failed, nothing saved: " + e.getMessage());
            return 1;
        } catch (DatasetException | GraphException e) {
            throw new ParameterException(cl, e.getMessage());
        } catch (IllegalArgumentException e) {
            // a technique refusing this model (e.g. a teacher of other classes), found before it changed anything
            throw new ParameterException(cl, technique.name() + ": " + e.getMessage());
        }
    }

    static LoadedArtifact load(CommandLine cl, Path file) {
        try {
            return Artifacts.load(file);
        } catch (ArtifactException e) {
            throw new ParameterException(cl, "cannot load artifact (" + e.kind().name().toLowerCase(Locale.ROOT)
                    .replace('_', ' ') + "): " + e.getMessage());
        } catch (IOException e) {
            throw new ParameterException(cl, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
