package dev.netpress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each command's {@code --help} lists its options with their defaults; group commands want a subcommand. */
class HelpTest {
    private static String help(String... command) {
        String[] args = new String[command.length + 1];
        System.arraycopy(command, 0, args, 0, command.length);
        args[command.length] = "--help";
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.exit(), r.transcript());
        return r.out();
    }

    private static void assertMentions(String text, List<String> expected) {
        for (String e : expected) {
            assertTrue(text.contains(e), e + " missing from\n" + text);
        }
    }

    @Test
    void netpressListsItsCommands() {
        assertMentions(help(), List.of("Usage: netpress", "train", "summary", "bench", "--version"));
    }

    @Test
    void trainListsEveryOptionWithItsDefault() {
        String text = help("train").replaceAll("\\s+", " "); // undo picocli's line wrapping
        assertMentions(text, List.of("--model=NAME", "(default: vgg16_bn)", "resnet18", "mobilenet_v2",
                "--width=X", "(default: 0.25)", "--classifier-hidden=N", "(default: 512)", "--dropout=P",
                "(default: 0.5)", "--dataset=SPEC", "(default: fashion-mnist)", "--image-size=PIXELS", "(default: 32)",
                "--epochs=N", "(default: 3)", "--lr=RATE", "(default: 1e-3)", "--batch-size=N", "(default: 64)",
                "--optimizer=NAME", "(default: adam)", "--weight-decay=WD", "(default: 0.01)", "--seed=N",
                "(default: 42)", "--limit=N", "--out=FILE", "--name=NAME", "--lineage-id=ID"));
    }

    @Test
    void summaryListsItsParameterAndJson() {
        assertMentions(help("summary"), List.of("Usage: netpress summary", "ARTIFACT", "--json"));
    }

    @Test
    void benchArtifactListsItsOptionsWithDefaults() {
        assertMentions(help("bench"), List.of("Usage: netpress bench", "artifact"));
        String text = help("bench", "artifact").replaceAll("\\s+", " ");
        assertMentions(text, List.of("--mb=MB", "(default: 100)", "--dir=DIR",
                "(default: " + System.getProperty("java.io.tmpdir") + ")"));
    }

    @Test
    void versionNamesTheProject() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.exit(), r.transcript());
        assertTrue(r.out().matches("(?s)netpress \\d+\\.\\d+\\.\\d+.*"), r.out());
    }

    @Test
    void aGroupWithoutSubcommandIsAUsageErrorThatListsTheSubcommands() {
        Cli.Result top = Cli.run();
        assertEquals(2, top.exit(), top.transcript());
        assertMentions(top.err(), List.of("Missing required subcommand", "train", "summary", "bench"));
        Cli.Result bench = Cli.run("bench");
        assertEquals(2, bench.exit(), bench.transcript());
        assertMentions(bench.err(), List.of("Missing required subcommand", "artifact"));
    }
}
