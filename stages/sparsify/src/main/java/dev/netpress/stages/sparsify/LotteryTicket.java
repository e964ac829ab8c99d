package dev.netpress.stages.sparsify;

/**
 * Lottery-ticket options (Frankle and Carbin, 2019; with rewinding, Frankle et al., 2020): the
 * weights are saved at the start of epoch {@code rewindEpoch}, and a ticket is those weights
 * under the current mask.
 *
 * @param lth after every pruning step, rewind all trainable weights to the saved ones, under the new mask
 * @param rewindEpoch the epoch at whose start the weights are saved
 * @param resetEnd at the end of training, rewind to the saved weights under the final mask
 * @param saveTickets hand out a ticket after every pruning step (with {@code lth}) and at the end
 */
public record LotteryTicket(boolean lth, int rewindEpoch, boolean resetEnd, boolean saveTickets) {
    public LotteryTicket {
        if (rewindEpoch < 0) {
            throw new IllegalArgumentException("rewind_epoch must not be negative, got " + rewindEpoch);
        }
    }

    /** Whether any option needs the weights saved at the rewind epoch. */
    public boolean needsRewindPoint() {
        return lth || resetEnd || saveTickets;
    }
}
