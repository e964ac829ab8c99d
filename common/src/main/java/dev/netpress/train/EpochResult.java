package dev.netpress.train;

/** One epoch's figures: mean training loss, validation loss and top-1 accuracy, wall time. */
public record EpochResult(int epoch, double trainLoss, double validLoss, double accuracy, double seconds) {}
