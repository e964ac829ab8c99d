package dev.netpress.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Cuts the first items out of an IDX file: the same header with the item count lowered, followed by the leading
 * bytes of the data. This is how the bundled Fashion-MNIST subset was made; its output is raw IDX, compressed
 * afterwards with {@code gzip -n -9} so that the bytes do not depend on the JDK's zlib.
 *
 * <p>Usage: {@code java -cp common/target/classes dev.netpress.data.IdxSubset <source> <count> > out}
 */
public final class IdxSubset {
    private IdxSubset() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: IdxSubset <source IDX file, raw or gzipped> <count>  (writes IDX to stdout)");
            System.exit(2);
        }
        OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
        writeFirst(Path.of(args[0]), Integer.parseInt(args[1]), out);
        out.flush();
    }

    /** Writes the first {@code count} items of {@code source} to {@code out} as an uncompressed IDX file. */
    public static void writeFirst(Path source, int count, OutputStream out) throws IOException {
        IdxFile idx = IdxReader.read(source);
        if (count < 0 || count > idx.count()) {
            throw new IllegalArgumentException(source + " holds " + idx.count() + " items, cannot take " + count);
        }
        int[] dims = idx.dims();
        dims[0] = count;
        DataOutputStream data = new DataOutputStream(out);
        data.write(new byte[] {0, 0, 0x08, (byte) dims.length});
        for (int d : dims) {
            data.writeInt(d);
        }
        data.write(idx.data(), 0, count * idx.itemSize());
        data.flush();
    }
}
