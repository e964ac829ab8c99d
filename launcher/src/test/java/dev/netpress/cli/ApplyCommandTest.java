package dev.netpress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.artifact.ModelCard;
import dev.netpress.graph.Op;
import dev.netpress.tensor.DType;
import dev.netpress.zoo.Zoo;
import dev.netpress.zoo.ZooConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netpress apply} on small real models and the bundled data, in-process. */
class ApplyCommandTest {
    @TempDir
    static Path dir;
    static Path base;
    static Path teacher;

    @BeforeAll
    static void models() throws Exception {
        ZooConfig small = ZooConfig.fashionMnist().toBuilder().optWidth(0.125).optClassifierHidden(32).build();
        base = Artifacts.save(new Artifact(Zoo.build("vgg11_bn", small), ModelCard.of("student", "lineage-1", "zoo:vgg11_bn")),
                dir.resolve("base.safetensors")).path();
        teacher = Artifacts.save(new Artifact(Zoo.build("vgg11_bn", small.toBuilder().optWidth(0.25).build()),
                ModelCard.of("teacher", "lineage-0", "zoo:vgg11_bn")), dir.resolve("teacher.safetensors")).path();
    }

    private static Path out(String name) {
        return dir.resolve(name + ".safetensors");
    }

    @Test
    void pruneFoldQuantizeChainKeepsLineageAndRecordsMetrics() throws Exception {
        Cli.Result prune = Cli.run("apply", "prune", base.toString(), out("pruned").toString(), "--mode", "structured",
                "--ratio", "0.5", "--round-to", "2");
        assertEquals(0, prune.exit(), prune.transcript());
        assertTrue(prune.out().contains("prune: pruned"), prune.out());
        Cli.Result fold = Cli.run("apply", "fold", out("pruned").toString(), out("folded").toString());
        assertEquals(0, fold.exit(), fold.transcript());
        Cli.Result q = Cli.run("apply", "quantize", out("folded").toString(), out("q").toString(), "--skip", "classifier.6");
        assertEquals(0, q.exit(), q.transcript());

        LoadedArtifact in = Artifacts.load(base);
        LoadedArtifact pruned = Artifacts.load(out("pruned"));
        LoadedArtifact folded = Artifacts.load(out("folded"));
        LoadedArtifact quantized = Artifacts.load(out("q"));
        assertEquals(in.sha256(), pruned.card().parentSha256());
        assertEquals(pruned.sha256(), folded.card().parentSha256());
        assertEquals("lineage-1", quantized.card().lineageId());
        assertEquals("quantize", quantized.card().createdBy());
        assertTrue(pruned.graph().parameterCount() < in.graph().parameterCount() / 2.5);
        assertEquals((double) pruned.graph().macs(), pruned.card().metrics().get("macs"));
        assertEquals(0, folded.graph().nodes().stream().filter(n -> n.op() == Op.BATCHNORM).count());
        assertEquals(DType.I8, quantized.graph().node("features.0").param("weight").dtype());
        assertEquals(DType.F32, quantized.graph().node("classifier.6").param("weight").dtype());
        assertTrue(quantized.card().provenance().get("options").contains("skip=classifier.6"));
    }

    @Test
    void evaluateGatesAgainstTheBaselineTimedInTheSameRun() throws Exception {
        Cli.Result r = Cli.run("apply", "evaluate", base.toString(), out("evaluated").toString(), "--baseline",
                base.toString(), "--max-accuracy-drop", "0.5", "--runs", "5", "--rounds", "1", "--valid-limit", "128");
        assertEquals(0, r.exit(), r.transcript());
        assertTrue(r.out().contains("verdict      accepted"), r.out());
        LoadedArtifact e = Artifacts.load(out("evaluated"));
        assertTrue(e.card().metrics().containsKey("latency_ms_b1"));
        assertTrue(e.card().metrics().containsKey("top5"));
    }

    @Test
    void distillTrainsTheStudentFromATeacherArtifact() throws Exception {
        Cli.Result r = Cli.run("apply", "distill", base.toString(), out("distilled").toString(), "--teacher",
                teacher.toString(), "--epochs", "1", "--limit", "128", "--valid-limit", "64", "--batch-size", "32");
        assertEquals(0, r.exit(), r.transcript());
        LoadedArtifact d = Artifacts.load(out("distilled"));
        assertTrue(d.card().metrics().containsKey("accuracy"));
        assertEquals("distill", d.card().createdBy());
    }

    @Test
    void factorizeFineTunesAfterSplittingWhenAskedTo() throws Exception {
        Cli.Result r = Cli.run("apply", "factorize", base.toString(), out("factorized").toString(), "--percent-removed",
                "0.75", "--epochs", "1", "--limit", "128", "--valid-limit", "64", "--batch-size", "32");
        assertEquals(0, r.exit(), r.transcript());
        assertTrue(r.out().contains("fine-tuned 1 epoch(s)"), r.out());
        LoadedArtifact f = Artifacts.load(out("factorized"));
        assertTrue(f.card().metrics().containsKey("accuracy"), f.card().metrics().toString());
        assertTrue(f.graph().parameterCount() < Artifacts.load(base).graph().parameterCount());

        Cli.Result negative = Cli.run("apply", "factorize", base.toString(), out("x").toString(), "--epochs", "-1");
        assertEquals(2, negative.exit(), negative.transcript());
        assertTrue(negative.err().contains("epochs must not be negative"), negative.err());
    }

    @Test
    void badOptionsAreOneLineErrorsBeforeAnyWork() {
        Cli.Result unknown = Cli.run("apply", "prune", base.toString(), out("x").toString(), "--ratoi", "0.3");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("--ratoi"), unknown.err());

        Cli.Result bad = Cli.run("apply", "prune", base.toString(), out("x").toString(), "--mode", "structured", "--ratio", "1.5");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("ratio must be in (0, 1)"), bad.err());

        Cli.Result noTeacher = Cli.run("apply", "distill", base.toString(), out("x").toString());
        assertEquals(2, noTeacher.exit());
        assertTrue(noTeacher.err().contains("teacher = '': a value is required"), noTeacher.err());

        Cli.Result gateWithoutBaseline = Cli.run("apply", "evaluate", base.toString(), out("x").toString(),
                "--max-accuracy-drop", "1");
        assertEquals(2, gateWithoutBaseline.exit());
        assertTrue(gateWithoutBaseline.err().contains("set baseline"), gateWithoutBaseline.err());

        Cli.Result missing = Cli.run("apply", "fold", dir.resolve("nope.safetensors").toString(), out("x").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("not found"), missing.err());

        Cli.Result unknownTechnique = Cli.run("apply", "shrink", base.toString(), out("x").toString());
        assertEquals(2, unknownTechnique.exit());
        assertTrue(!out("x").toFile().exists());
    }

    @Test
    void helpListsEveryTechniqueAndEachOptionWithItsDefault() {
        Cli.Result apply = Cli.run("apply", "--help");
        for (String t : new String[] {"distill", "evaluate", "fold", "prune", "quantize"}) {
            assertTrue(apply.out().contains(t), apply.out());
        }
        Cli.Result distill = Cli.run("apply", "distill", "--help");
        assertTrue(distill.out().contains("--temperature=VALUE") && distill.out().contains("(default: 5)"), distill.out());
    }
}
