/**
 * The sparsify technique: zeroes a share of a model's weights while fine-tuning it, after
 * fasterai's Sparsifier and SparsifyCallback. Graph in, graph out; the structure stays, the
 * zeros are left for the prune stage to remove.
 *
 * <p>The technique is cut into small orthogonal parts, each named in the {@link
 * dev.netpress.stages.sparsify.Registry}:
 * <ul>
 *   <li>{@link dev.netpress.stages.sparsify.Granularity}: which weights go together (single
 *       weights, kernels, filters, …), as the weight axes a group spans, per {@link
 *       dev.netpress.stages.sparsify.LayerKind}; or whole channels per dependency group
 *       ({@code group}), so that tied channels go together and the prune stage can remove them;
 *   <li>{@link dev.netpress.stages.sparsify.Criterion}: what is worth keeping, a
 *       {@link dev.netpress.stages.sparsify.ScoreFunction} reduced per group ({@link
 *       dev.netpress.stages.sparsify.Reducer}) and normalized per layer ({@link
 *       dev.netpress.stages.sparsify.Normalizer});
 *   <li>{@link dev.netpress.stages.sparsify.Context}: a threshold per layer or one for all;
 *   <li>{@link dev.netpress.stages.sparsify.Schedule}: how sparsity grows over training.
 * </ul>
 * The {@link dev.netpress.stages.sparsify.Sparsifier} turns the first three into
 * {@link dev.netpress.stages.sparsify.Masks} at a given sparsity; the {@link
 * dev.netpress.stages.sparsify.SparsifyCallback} drives it along a schedule while a
 * {@link dev.netpress.train.Learner} trains; {@link dev.netpress.stages.sparsify.Sparsify#apply}
 * runs a whole job from {@link dev.netpress.stages.sparsify.SparsifyOptions}. A {@link
 * dev.netpress.stages.sparsify.SensitivityScan} measures each layer's one-shot accuracy curve and
 * chooses a per-layer sparsity map for a params or MACs target.
 */
package dev.netpress.stages.sparsify;
