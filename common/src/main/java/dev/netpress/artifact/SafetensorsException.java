package dev.netpress.artifact;

import java.io.IOException;
import java.util.Objects;

/**
 * A safetensors file that breaks the format. It is an {@link IOException} because a bad file is
 * an input problem that callers handle like any other failed read, not a programming error.
 * {@link #kind()} says which rule was broken, so callers and tests need not parse messages.
 */
public final class SafetensorsException extends IOException {
    /** The rule a file broke. */
    public enum Kind {
        /** Shorter than the 8-byte header length prefix. */
        TOO_SHORT,
        /** The header length exceeds {@link Safetensors#MAX_HEADER_BYTES}. */
        HEADER_TOO_LARGE,
        /** The header length reaches past the end of the file. */
        HEADER_OUT_OF_BOUNDS,
        /** The file is too large to map into a single buffer (over 2 GiB). */
        FILE_TOO_LARGE,
        /** The header bytes are not valid UTF-8. */
        INVALID_UTF8,
        /** The header is empty, not well-formed JSON, or has content after the top-level value. */
        INVALID_JSON,
        /** The header's top-level JSON value is not an object. */
        HEADER_NOT_OBJECT,
        /** A tensor entry lacks dtype, shape or data_offsets. */
        MISSING_FIELD,
        /** A tensor entry, or one of its fields, has the wrong JSON type. */
        WRONG_TYPE,
        /** A dtype name that {@link dev.netpress.tensor.DType} does not know. */
        UNKNOWN_DTYPE,
        /** A shape dimension that is not a non-negative 32-bit integer. */
        INVALID_SHAPE,
        /** data_offsets is not two ascending non-negative integers. */
        INVALID_OFFSETS,
        /** data_offsets reaches past the end of the data region. */
        OFFSETS_OUT_OF_RANGE,
        /** The byte count of data_offsets disagrees with shape and dtype. */
        SIZE_MISMATCH,
        /** Two tensors claim the same bytes. */
        OVERLAP,
        /** Bytes of the data region belong to no tensor (a gap, or trailing bytes). */
        UNCOVERED_BYTES,
        /** A name appears twice in the header. */
        DUPLICATE_NAME,
        /** __metadata__ is not an object of string values. */
        INVALID_METADATA
    }

    private final Kind kind;

    public SafetensorsException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public SafetensorsException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
