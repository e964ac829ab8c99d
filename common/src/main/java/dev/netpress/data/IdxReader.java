package dev.netpress.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the format of MNIST and Fashion-MNIST), raw or gzip-compressed. Compression is recognised by the
 * gzip magic bytes, not by the file name. Only the unsigned-byte element type (0x08) is supported.
 *
 * <p>Layout: two zero bytes, a type byte, a byte giving the number of dimensions, one big-endian int per
 * dimension, then the elements in row-major order.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {}

    public static IdxFile read(Path file) {
        try (InputStream in = open(file)) {
            return read(file, in);
        } catch (EOFException e) {
            // raised by the gzip layer when the compressed stream stops early
            throw new DatasetException(file + ": truncated (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read IDX file: " + e, e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    private static IdxFile read(Path file, InputStream in) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new DatasetException(file + ": truncated IDX header (" + magic.length + " of 4 magic bytes)");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DatasetException(String.format(
                    "%s: bad IDX magic: expected the first two bytes to be 00 00, got %02x %02x",
                    file, magic[0] & 0xff, magic[1] & 0xff));
        }
        int type = magic[2] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new DatasetException(String.format(
                    "%s: unsupported IDX element type 0x%02x (%s); only 0x08 (unsigned byte) is supported",
                    file, type, typeName(type)));
        }
        int rank = magic[3] & 0xff;
        if (rank == 0) {
            throw new DatasetException(file + ": bad IDX header: zero dimensions");
        }
        int[] dims = new int[rank];
        long numel = 1;
        for (int i = 0; i < rank; i++) {
            byte[] d = in.readNBytes(4);
            if (d.length < 4) {
                throw new DatasetException(file + ": truncated IDX header: " + rank + " dimensions announced, "
                        + i + " present");
            }
            dims[i] = (d[0] & 0xff) << 24 | (d[1] & 0xff) << 16 | (d[2] & 0xff) << 8 | (d[3] & 0xff);
            if (dims[i] < 0) {
                throw new DatasetException(file + ": bad IDX header: dimension " + i + " is "
                        + Integer.toUnsignedString(dims[i]));
            }
            numel *= dims[i];
            // a Java array holds at most Integer.MAX_VALUE - 8 elements
            if (numel > Integer.MAX_VALUE - 8) {
                throw new DatasetException(file + ": IDX data too large for one array");
            }
        }
        byte[] data = in.readNBytes((int) numel);
        if (data.length < numel) {
            throw new DatasetException(file + ": truncated IDX data: the header promises " + numel
                    + " bytes, the file holds " + data.length);
        }
        if (in.read() != -1) {
            throw new DatasetException(file + ": IDX file is longer than its header says (" + numel
                    + " data bytes expected)");
        }
        return new IdxFile(file, dims, data);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "unknown";
        };
    }
}
