package dev.haguard.rules.minreplicas;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Optional;

/** minReplicas across the HorizontalPodAutoscaler API versions the API server may send. */
final class Autoscalers {

    private Autoscalers() {
    }

    /** The HPA's minReplicas (null when omitted), or empty when this is no HPA. */
    static Optional<Integer> minReplicas(HasMetadata object) {
        if (object instanceof io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler h) {
            return Optional.of(h.getSpec() == null ? 1 : orOne(h.getSpec().getMinReplicas()));
        }
        if (object instanceof io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler h) {
            return Optional.of(h.getSpec() == null ? 1 : orOne(h.getSpec().getMinReplicas()));
        }
        return Optional.empty();
    }

    /** Raises minReplicas where maxReplicas leaves room; an HPA whose maximum is too low is left to be judged. */
    static boolean raiseMinReplicas(HasMetadata object, int minimum) {
        if (object instanceof io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler h
                && h.getSpec() != null && h.getSpec().getMaxReplicas() != null && h.getSpec().getMaxReplicas() >= minimum) {
            h.getSpec().setMinReplicas(minimum);
            return true;
        }
        if (object instanceof io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler h
                && h.getSpec() != null && h.getSpec().getMaxReplicas() != null && h.getSpec().getMaxReplicas() >= minimum) {
            h.getSpec().setMinReplicas(minimum);
            return true;
        }
        return false;
    }

    /** The kind and name of the workload an HPA scales, as "Deployment/web", or empty. */
    static Optional<String[]> target(HasMetadata object) {
        if (object instanceof io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler h
                && h.getSpec() != null && h.getSpec().getScaleTargetRef() != null) {
            return Optional.of(new String[] {h.getSpec().getScaleTargetRef().getKind(),
                h.getSpec().getScaleTargetRef().getName()});
        }
        if (object instanceof io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler h
                && h.getSpec() != null && h.getSpec().getScaleTargetRef() != null) {
            return Optional.of(new String[] {h.getSpec().getScaleTargetRef().getKind(),
                h.getSpec().getScaleTargetRef().getName()});
        }
        return Optional.empty();
    }

    private static int orOne(Integer value) {
        return value == null ? 1 : value;
    }
}
