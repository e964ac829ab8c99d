package dev.netpress.train;

/** Loss and top-1 / top-5 accuracy of a model over a dataset. */
public record Evaluation(double loss, double accuracy, double top5, int examples) {}
