package dev.netpress.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path tmp;

    @Test
    void parsesQuotedFieldsEscapesAndLineEndings() throws IOException {
        Path f = Files.writeString(tmp.resolve("a.csv"),
                "\uFEFFa,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\r\n\n\"multi\nline\",,\"\"\nlast,row,end");
        List<Csv.Row> rows = Csv.read(f);
        assertEquals(4, rows.size());
        assertEquals(List.of("a", "b", "c"), rows.get(0).fields());
        assertEquals(List.of("x,1", "say \"hi\"", ""), rows.get(1).fields());
        assertEquals(List.of("multi\nline", "", ""), rows.get(2).fields());
        assertEquals(4, rows.get(2).line());
        assertEquals(List.of("last", "row", "end"), rows.get(3).fields());
        assertEquals(6, rows.get(3).line());
    }

    @Test
    void rejectsAnUnclosedQuote() throws IOException {
        Path f = Files.writeString(tmp.resolve("b.csv"), "a,b\n\"open,x\n");
        DatasetException e = assertThrows(DatasetException.class, () -> Csv.read(f));
        assertTrue(e.getMessage().contains(f + ":2"), e.getMessage());
    }
}
