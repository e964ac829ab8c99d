package dev.netpress.cli;

import dev.netpress.artifact.ArtifactRef;
import dev.netpress.artifact.ModelCard;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** How the commands print model cards, artifact files and numbers for people to read. */
final class Report {
    private static final String LABEL = "%-12s %s%n";
    private static final String ENTRY = "  %-24s %s%n";

    private Report() {}

    static void card(PrintWriter out, ModelCard card) {
        out.printf(LABEL, "name", card.name());
        out.printf(LABEL, "lineage", card.lineageId());
        out.printf(LABEL, "created by", card.createdBy());
        out.printf(LABEL, "parent", card.parentSha256() == null ? "none (a root model)" : card.parentSha256());
        out.println("metrics");
        card.metrics().forEach((k, v) -> out.printf(ENTRY, k, number(v)));
        if (!card.provenance().isEmpty()) {
            out.println("provenance");
            for (Map.Entry<String, String> e : card.provenance().entrySet()) {
                out.printf(ENTRY, e.getKey(), e.getValue());
            }
        }
    }

    static void file(PrintWriter out, ArtifactRef ref) {
        out.printf(LABEL, "artifact", ref.path());
        out.printf(LABEL, "sha256", ref.sha256());
        out.printf(Locale.ROOT, "%-12s %,d bytes (%.1f MB)%n", "size", ref.bytes(), ref.bytes() / 1e6);
    }

    /** Whole numbers (counts) with thousands separators, others to four decimals. */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? String.format(Locale.ROOT, "%,d", (long) v)
                : String.format(Locale.ROOT, "%.4f", v);
    }
}
