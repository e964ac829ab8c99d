package dev.netpress.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.zoo.ZooConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmark's code path on a tiny VGG: it runs and both networks agree. No timing is asserted. */
class ExecutorBenchmarkTest {
    @Test
    void runsOnATinyVggAndBothNetworksAgree() {
        ZooConfig tiny = ZooConfig.fashionMnist().toBuilder().optWidth(1.0 / 16).optClassifierHidden(16).build();
        ExecutorBenchmark.Options o = ExecutorBenchmark.Options.defaults().withModel("vgg11_bn", tiny)
                .withBatchSize(8).withIterations(1, 0, 2, 2, 2);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ExecutorBenchmark.Result r = ExecutorBenchmark.run(new PrintStream(text, true, StandardCharsets.UTF_8), o);

        assertTrue(r.maxAbsDiff() <= ExecutorBenchmark.TOLERANCE, "max |diff| " + r.maxAbsDiff());
        for (ExecutorBenchmark.Comparison c : r.figures()) {
            assertEquals(2, c.ours().samples(), c.name());
            assertEquals(2, c.djl().samples(), c.name());
            assertTrue(c.ours().medianMs() > 0 && c.djl().medianMs() > 0, c.name());
        }
        String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("batch-1 latency") && printed.contains("train step"), printed);
    }
}
