package dev.netpress.train;

import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;

/**
 * Which optimizer to train with. Adam uses decoupled weight decay (AdamW) with fastai's
 * defaults (β = 0.9/0.99, ε = 1e-5, wd = 0.01); SGD has heavy-ball momentum and L2 decay.
 */
public sealed interface OptimizerSpec {
    Optimizer build(ParameterTracker learningRate);

    record Adam(double beta1, double beta2, double eps, double weightDecay) implements OptimizerSpec {
        @Override
        public Optimizer build(ParameterTracker lr) {
            return AdamW.builder().optLearningRateTracker(lr).optBeta1((float) beta1).optBeta2((float) beta2)
                    .optEpsilon((float) eps).optWeightDecays((float) weightDecay).build();
        }
    }

    record Sgd(double momentum, double weightDecay) implements OptimizerSpec {
        @Override
        public Optimizer build(ParameterTracker lr) {
            return Optimizer.sgd().setLearningRateTracker(lr).optMomentum((float) momentum)
                    .optWeightDecays((float) weightDecay).build();
        }
    }

    static OptimizerSpec adam() {
        return new Adam(0.9, 0.99, 1e-5, 0.01);
    }

    static OptimizerSpec adam(double weightDecay) {
        return new Adam(0.9, 0.99, 1e-5, weightDecay);
    }

    static OptimizerSpec sgd(double momentum, double weightDecay) {
        return new Sgd(momentum, weightDecay);
    }
}
