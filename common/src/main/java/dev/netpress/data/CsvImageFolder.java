package dev.netpress.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Images listed in a CSV in the layout of fastai's imagenette {@code noisy_imagenette.csv}: a header row, a
 * {@value #PATH_COLUMN} column relative to a root folder, one or more label columns (one is chosen by name, e.g.
 * {@code noisy_labels_0}) and an {@value #VALID_COLUMN} column (True/False, true/false or 1/0) that separates the
 * training rows from the held-out ones.
 *
 * <p>The class list is the sorted set of distinct labels over the whole CSV, so both splits share label indices.
 * Images are decoded on each {@link #get}; their sizes may differ, so resize or crop them before batching.
 */
public final class CsvImageFolder implements ImageDataset {
    public static final String PATH_COLUMN = "path";
    public static final String VALID_COLUMN = "is_valid";

    private final List<Path> files;
    private final int[] labels;
    private final List<String> classNames;
    private final ColorMode mode;

    private CsvImageFolder(List<Path> files, int[] labels, List<String> classNames, ColorMode mode) {
        this.files = files;
        this.labels = labels;
        this.classNames = classNames;
        this.mode = mode;
    }

    /**
     * Reads the CSV and checks that every image of the chosen split exists; decoding is left to {@link #get}.
     *
     * @param root the folder the {@value #PATH_COLUMN} entries are relative to (for imagenette, the CSV's folder)
     */
    public static CsvImageFolder load(Path csv, Path root, String labelColumn, Split split, ColorMode mode) {
        List<Csv.Row> rows = Csv.read(csv);
        if (rows.isEmpty()) {
            throw new DatasetException(csv + ": empty CSV, expected a header row");
        }
        List<String> header = rows.get(0).fields();
        int pathCol = column(csv, header, PATH_COLUMN);
        int labelCol = column(csv, header, labelColumn);
        int validCol = column(csv, header, VALID_COLUMN);
        List<Csv.Row> records = rows.subList(1, rows.size());
        for (Csv.Row row : records) {
            if (row.fields().size() != header.size()) {
                throw new DatasetException(csv + ":" + row.line() + ": " + row.fields().size()
                        + " fields, the header has " + header.size());
            }
        }
        List<String> classNames = List.copyOf(records.stream()
                .map(r -> r.fields().get(labelCol))
                .collect(Collectors.toCollection(TreeSet::new)));
        Map<String, Integer> index = classNames.stream()
                .collect(Collectors.toMap(Function.identity(), classNames::indexOf));
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Csv.Row row : records) {
            boolean valid = parseFlag(csv, row, row.fields().get(validCol));
            if (valid != (split == Split.TEST)) {
                continue;
            }
            Path file = root.resolve(row.fields().get(pathCol));
            if (!Files.isRegularFile(file)) {
                throw new DatasetException(file + ": image file missing (listed at " + csv + ":" + row.line() + ")");
            }
            files.add(file);
            labels.add(index.get(row.fields().get(labelCol)));
        }
        return new CsvImageFolder(List.copyOf(files), labels.stream().mapToInt(Integer::intValue).toArray(),
                classNames, mode);
    }

    private static int column(Path csv, List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new DatasetException(csv + ": no column '" + name + "'; columns present: " + header);
        }
        return i;
    }

    private static boolean parseFlag(Path csv, Csv.Row row, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new DatasetException(csv + ":" + row.line() + ": " + VALID_COLUMN + " is '" + value
                    + "', expected True/False, true/false or 1/0");
        };
    }

    @Override
    public int size() {
        return files.size();
    }

    /** Decodes the image; throws {@link DatasetException} naming the file when it cannot be decoded. */
    @Override
    public Example get(int index) {
        return ImageDecoder.decode(files.get(index), mode, labels[index]);
    }

    /** The image file behind example {@code index}. */
    public Path file(int index) {
        return files.get(index);
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }
}
