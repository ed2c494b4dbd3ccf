package dev.haguard.rules.common;

import dev.haguard.policy.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;
import java.util.Optional;

/** Where pod specs and owners live in the built-in workload kinds. */
public final class Workloads {

    private Workloads() {
    }

    /**
     * The pod template of a workload that has one (Deployment, StatefulSet, ReplicaSet, ReplicationController,
     * DaemonSet, Job, CronJob).
     */
    public static Optional<PodTemplateSpec> template(HasMetadata object) {
        PodTemplateSpec t = null;
        if (object instanceof Deployment d && d.getSpec() != null) {
            t = d.getSpec().getTemplate();
        } else if (object instanceof StatefulSet s && s.getSpec() != null) {
            t = s.getSpec().getTemplate();
        } else if (object instanceof ReplicaSet r && r.getSpec() != null) {
            t = r.getSpec().getTemplate();
        } else if (object instanceof ReplicationController r && r.getSpec() != null) {
            t = r.getSpec().getTemplate();
        } else if (object instanceof DaemonSet d && d.getSpec() != null) {
            t = d.getSpec().getTemplate();
        } else if (object instanceof Job j && j.getSpec() != null) {
            t = j.getSpec().getTemplate();
        } else if (object instanceof CronJob c && c.getSpec() != null && c.getSpec().getJobTemplate() != null
                && c.getSpec().getJobTemplate().getSpec() != null) {
            t = c.getSpec().getJobTemplate().getSpec().getTemplate();
        }
        return Optional.ofNullable(t);
    }

    /** The replicas a Deployment, StatefulSet, ReplicaSet or ReplicationController asks for (null: the default, 1). */
    public static Optional<Integer> replicas(HasMetadata object) {
        if (object instanceof Deployment d && d.getSpec() != null) {
            return Optional.of(d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas());
        } else if (object instanceof StatefulSet s && s.getSpec() != null) {
            return Optional.of(s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas());
        } else if (object instanceof ReplicaSet r && r.getSpec() != null) {
            return Optional.of(r.getSpec().getReplicas() == null ? 1 : r.getSpec().getReplicas());
        } else if (object instanceof ReplicationController r && r.getSpec() != null) {
            return Optional.of(r.getSpec().getReplicas() == null ? 1 : r.getSpec().getReplicas());
        }
        return Optional.empty();
    }

    /** As {@link #replicas(HasMetadata)}, or where a policy-named workload kind keeps its count. */
    public static Optional<Integer> replicas(HasMetadata object, Optional<WorkloadKind> kind) {
        return kind.isPresent() ? Optional.of(kind.get().replicasOf(object)) : replicas(object);
    }

    /** As {@link #podSpec(HasMetadata)}, or from where a policy-named workload kind keeps its pod template. */
    public static Optional<Located<PodSpec>> podSpec(HasMetadata object, Optional<WorkloadKind> kind) {
        if (kind.isEmpty()) {
            return podSpec(object);
        }
        return kind.get().templateOf(object).map(PodTemplateSpec::getSpec)
                .map(s -> new Located<>(s, kind.get().template() + ".spec"));
    }

    /** The pod spec of a Pod, or of a workload's pod template; the JSON path prefix says where it sits. */
    public static Optional<Located<PodSpec>> podSpec(HasMetadata object) {
        if (object instanceof Pod p) {
            return Optional.ofNullable(p.getSpec()).map(s -> new Located<>(s, "spec"));
        }
        String prefix = object instanceof CronJob ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec";
        return template(object).map(PodTemplateSpec::getSpec).map(s -> new Located<>(s, prefix));
    }

    /** The controlling owner, if a controller manages this object. */
    public static Optional<OwnerReference> controller(HasMetadata object) {
        if (object.getMetadata() == null || object.getMetadata().getOwnerReferences() == null) {
            return Optional.empty();
        }
        return object.getMetadata().getOwnerReferences().stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst();
    }

    public static boolean controlledBy(HasMetadata object, String kind) {
        return controller(object).filter(o -> kind.equals(o.getKind())).isPresent();
    }

    public static Map<String, String> labels(HasMetadata object) {
        return object.getMetadata() == null || object.getMetadata().getLabels() == null
                ? Map.of() : object.getMetadata().getLabels();
    }

    public static Map<String, String> annotations(HasMetadata object) {
        return object.getMetadata() == null || object.getMetadata().getAnnotations() == null
                ? Map.of() : object.getMetadata().getAnnotations();
    }

    /** A value and the dotted path at which it sits in its object, for messages. */
    public record Located<T>(T value, String path) {
    }
}
