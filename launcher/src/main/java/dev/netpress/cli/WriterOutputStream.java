package dev.netpress.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * Lets code that prints to a {@link PrintStream} (training progress, benchmarks) write to a command's
 * {@link PrintWriter}, so that everything a command prints goes through picocli's output and can be captured.
 * Bytes are held until a flush and then decoded as UTF-8; a PrintStream flushes only after whole characters, so
 * none is ever split across two flushes.
 */
final class WriterOutputStream extends OutputStream {
    private final PrintWriter writer;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private WriterOutputStream(PrintWriter writer) {
        this.writer = writer;
    }

    /** A print stream onto {@code writer} that passes on every print at once, a progress bar's {@code \r} too. */
    static PrintStream printStream(PrintWriter writer) {
        return new PrintStream(new WriterOutputStream(writer), true, UTF_8);
    }

    @Override
    public void write(int b) {
        pending.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        pending.write(b, off, len);
    }

    @Override
    public void flush() {
        writer.write(pending.toString(UTF_8));
        pending.reset();
        writer.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
