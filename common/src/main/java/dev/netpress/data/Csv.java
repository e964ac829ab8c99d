package dev.netpress.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A minimal RFC 4180 reader: comma-separated, fields optionally double-quoted, {@code ""} escapes a quote. */
final class Csv {
    /** One record and the line it starts on, for error messages. */
    record Row(int line, List<String> fields) {}

    private Csv() {}

    /** All records of a UTF-8 file, header included; blank lines are skipped. */
    static List<Row> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read CSV: " + e, e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false; // inside a quoted field
        boolean wasQuoted = false; // the current field started with a quote
        int line = 1;
        int rowLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"') {
                if (field.length() > 0 || wasQuoted) {
                    throw new DatasetException(file + ":" + line + ": a quote inside an unquoted field");
                }
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                endRow(rows, rowLine, fields, field, wasQuoted);
                wasQuoted = false;
                line++;
                rowLine = line;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new DatasetException(file + ":" + rowLine + ": quoted field is never closed");
        }
        endRow(rows, rowLine, fields, field, wasQuoted);
        return rows;
    }

    private static void endRow(List<Row> rows, int line, List<String> fields, StringBuilder field, boolean wasQuoted) {
        boolean blank = fields.isEmpty() && field.length() == 0 && !wasQuoted;
        if (!blank) {
            fields.add(field.toString());
            rows.add(new Row(line, List.copyOf(fields)));
        }
        fields.clear();
        field.setLength(0);
    }
}
