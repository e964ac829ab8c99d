package dev.netpress.cli;

import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.data.DataLoader;
import dev.netpress.technique.TechniqueContext;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** A technique's context in this process: artifacts are files, data is {@link LocalData}. */
record LocalContext(LoadedArtifact input, LocalData data, PrintStream log) implements TechniqueContext {
    @Override
    public DataLoader train() {
        return data.train();
    }

    @Override
    public DataLoader valid() {
        return data.valid();
    }

    @Override
    public LoadedArtifact resolve(String reference) throws IOException {
        return Artifacts.load(Path.of(reference));
    }
}
