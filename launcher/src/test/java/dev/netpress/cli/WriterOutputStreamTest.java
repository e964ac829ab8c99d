package dev.netpress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The bridge from print streams to a command's writer. */
class WriterOutputStreamTest {
    @Test
    void printsArriveAtOnceAndNonAsciiSurvives() {
        StringWriter sink = new StringWriter();
        PrintStream ps = WriterOutputStream.printStream(new PrintWriter(sink));
        ps.printf("%d×%d%n", 28, 28);
        assertEquals("28×28" + System.lineSeparator(), sink.toString());
        ps.print("\rbar ");
        assertEquals("28×28" + System.lineSeparator() + "\rbar ", sink.toString());
        ps.write(0xC3); // the first byte of 'é' alone is held back, not decoded into a broken character
        assertEquals("28×28" + System.lineSeparator() + "\rbar ", sink.toString());
        ps.write(0xA9);
        ps.flush();
        assertEquals("28×28" + System.lineSeparator() + "\rbar é", sink.toString());
    }
}
