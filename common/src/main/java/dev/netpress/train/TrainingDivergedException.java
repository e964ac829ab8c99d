package dev.netpress.train;

/** Training produced a non-finite loss (NaN or infinity). */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
