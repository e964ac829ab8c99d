package dev.netpress.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows training progress: on a terminal a bar redrawn in place, in logs a plain line at every
 * quarter of an epoch; after each epoch one row of fastai's table (epoch, train_loss,
 * valid_loss, accuracy, time). Epochs count from 0 everywhere, as in fastai's table.
 */
public final class ProgressCallback implements Callback {
    private static final int BAR = 30;
    private final PrintStream out;
    private final boolean interactive;
    private long epochStart;
    private double lossSum;
    private int lossCount;
    private long images;
    private int lastQuarter;

    public ProgressCallback(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** A bar when standard output is a terminal, plain lines otherwise. */
    public static ProgressCallback auto(PrintStream out) {
        String term = System.getenv("TERM");
        return new ProgressCallback(out, System.console() != null && term != null && !term.equals("dumb"));
    }

    @Override
    public void beforeFit(TrainingState s) {
        out.printf(Locale.ROOT, "%-6s %-11s %-11s %-9s %s%n", "epoch", "train_loss", "valid_loss", "accuracy", "time");
    }

    @Override
    public void beforeEpoch(TrainingState s) {
        epochStart = System.nanoTime();
        lossSum = 0;
        lossCount = 0;
        images = 0;
        lastQuarter = 0;
    }

    @Override
    public void afterBatch(TrainingState s) {
        lossSum += s.loss().getFloat();
        lossCount++;
        images += s.inputs().getShape().get(0);
        int done = s.batch() + 1;
        int total = s.batchesPerEpoch();
        double secs = (System.nanoTime() - epochStart) / 1e9;
        double rate = images / Math.max(secs, 1e-9);
        double eta = secs / done * (total - done);
        if (interactive) {
            int filled = (int) ((long) BAR * done / Math.max(total, 1));
            out.printf(Locale.ROOT, "\repoch %d of %d [%s%s] %3d%% %d/%d loss %.4f %.0f img/s eta %s ", s.epoch(),
                    s.epochs(), "#".repeat(filled), ".".repeat(BAR - filled), 100 * done / Math.max(total, 1), done, total,
                    lossSum / lossCount, rate, clock(eta));
            out.flush();
        } else {
            int quarter = 4 * done / Math.max(total, 1);
            if (quarter > lastQuarter && done < total) {
                lastQuarter = quarter;
                out.printf(Locale.ROOT, "epoch %d of %d: %d/%d batches, loss %.4f, %.0f img/s, eta %s%n", s.epoch(),
                        s.epochs(), done, total, lossSum / lossCount, rate, clock(eta));
            }
        }
    }

    @Override
    public void afterEpoch(TrainingState s) {
        if (interactive) {
            out.print("\r" + " ".repeat(BAR + 70) + "\r");
        }
        EpochResult r = s.lastEpoch();
        out.printf(Locale.ROOT, "%-6d %-11.6f %-11.6f %-9.4f %s%n", r.epoch(), r.trainLoss(), r.validLoss(), r.accuracy(),
                clock(r.seconds()));
        out.flush();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
