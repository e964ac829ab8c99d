package dev.netpress.data;

/**
 * A dataset file or folder that cannot be read as the format it claims to be: a bad IDX header, truncated data,
 * a CSV without the expected column, a missing or undecodable image. The message always names the offending file.
 */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
