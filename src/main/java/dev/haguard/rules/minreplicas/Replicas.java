package dev.haguard.rules.minreplicas;

import dev.haguard.engine.Admission;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import java.util.function.IntFunction;

/**
 * A replica count found in a request, the field it sits in and how the user fixes it.
 * An omitted count is 1: the API server defaults replicas and minReplicas to 1 before admission.
 */
record Replicas(int count, String field, IntFunction<String> fix) {

    // The fixes quote names from the request: concatenated, never used as a format string.
    static Replicas workload(Integer count, String field, Admission a) {
        return new Replicas(count == null ? 1 : count, field,
                minimum -> MinReplicasWords.workloadFix(field, a.kind(), minimum));
    }

    static Replicas scale(Integer count, Admission a) {
        String kind = switch (a.resource()) {
            case "deployments" -> "deployment";
            case "replicationcontrollers" -> "replicationcontroller";
            default -> "statefulset";
        };
        return new Replicas(count == null ? 0 : count, "replicas",
                minimum -> MinReplicasWords.scaleFix(kind, a.name(), a.namespace(), minimum));
    }

    static Replicas hpa(Integer min, Admission a) {
        return new Replicas(min == null ? 1 : min, "spec.minReplicas", MinReplicasWords::hpaFix);
    }

    String fix(int minimum) {
        return fix.apply(minimum);
    }

    /** Sets the count to {@code minimum} on the working copy; false where raising would be wrong. */
    boolean raise(HasMetadata target, int minimum) {
        if (target instanceof Deployment d) {
            d.getSpec().setReplicas(minimum);
        } else if (target instanceof StatefulSet s) {
            s.getSpec().setReplicas(minimum);
        } else if (target instanceof ReplicaSet r) {
            r.getSpec().setReplicas(minimum);
        } else if (target instanceof ReplicationController r) {
            r.getSpec().setReplicas(minimum);
        } else if (target instanceof Scale s) {
            s.getSpec().setReplicas(minimum);
        } else {
            return Autoscalers.raiseMinReplicas(target, minimum);
        }
        return true;
    }
}
