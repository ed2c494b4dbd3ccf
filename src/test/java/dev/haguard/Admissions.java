package dev.haguard;

import dev.haguard.engine.Admission;
import dev.haguard.engine.Operation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/** Admissions built from typed objects, for rule tests that need cases no recording covers. */
public final class Admissions {

    private static final Map<String, String> RESOURCES = Map.ofEntries(
            Map.entry("Pod", "pods"), Map.entry("ConfigMap", "configmaps"), Map.entry("Secret", "secrets"),
            Map.entry("Service", "services"), Map.entry("Deployment", "deployments"),
            Map.entry("StatefulSet", "statefulsets"), Map.entry("ReplicaSet", "replicasets"),
            Map.entry("DaemonSet", "daemonsets"), Map.entry("Job", "jobs"), Map.entry("CronJob", "cronjobs"),
            Map.entry("HorizontalPodAutoscaler", "horizontalpodautoscalers"));

    private Admissions() {
    }

    public static Admission create(HasMetadata object) {
        return of(Operation.CREATE, object, null, "");
    }

    public static Admission update(HasMetadata oldObject, HasMetadata object) {
        return of(Operation.UPDATE, object, oldObject, "");
    }

    public static Admission of(Operation operation, HasMetadata object, HasMetadata oldObject, String subResource) {
        HasMetadata any = object != null ? object : oldObject;
        String apiVersion = any.getApiVersion();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        String name = any.getMetadata().getName() == null ? "" : any.getMetadata().getName();
        String namespace = any.getMetadata().getNamespace() == null ? "team" : any.getMetadata().getNamespace();
        Admission.Target type = new Admission.Target(group, version, any.getKind(),
                RESOURCES.getOrDefault(any.getKind(), any.getKind().toLowerCase() + "s"), subResource);
        return new Admission("uid-" + name, operation, type, namespace, name, false,
                new Admission.User("alice", List.of("system:authenticated")), object, oldObject);
    }
}
