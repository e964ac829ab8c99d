package dev.netpress.stages.prune;

import java.util.List;

/**
 * What pruning did: every channel group's size before and after, and the model's parameters and
 * multiply-accumulates (per sample) before and after.
 */
public record PruneReport(List<GroupChange> groups, long parametersBefore, long parametersAfter, long macsBefore,
        long macsAfter) {
    public PruneReport {
        groups = List.copyOf(groups);
    }

    /**
     * One channel group.
     *
     * @param group the group's id in the dependency graph of the input model
     * @param name the first node producing its channels
     * @param before channels before
     * @param after channels after
     * @param note why the group was left whole, when it was not eligible; empty otherwise
     */
    public record GroupChange(int group, String name, int before, int after, String note) {}

    public int channelsBefore() {
        return groups.stream().mapToInt(GroupChange::before).sum();
    }

    public int channelsAfter() {
        return groups.stream().mapToInt(GroupChange::after).sum();
    }
}
