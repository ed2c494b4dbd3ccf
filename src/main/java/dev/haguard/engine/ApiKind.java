package dev.haguard.engine;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * A kind of object a rule reads: how the API server names and serves it, the model class ha-guard reads it as, and
 * what of it a scan keeps (besides its metadata). A scan lists it only where {@code scanned}: ConfigMaps and Secrets
 * are judged in manifests, never listed from a cluster. {@code optional}: a custom resource that a cluster may not
 * serve (Velero's), which is then a finding, not an error.
 */
public record ApiKind(String group, String version, String kind, String plural, boolean namespaced,
        Class<? extends HasMetadata> model, List<String> kept, boolean scanned, boolean optional) {

    public ApiKind {
        kept = List.copyOf(kept);
    }

    /** A built-in kind a scan lists, keeping {@code kept} of each object. */
    public static ApiKind of(String group, String version, String kind, String plural, boolean namespaced,
            Class<? extends HasMetadata> model, String... kept) {
        return new ApiKind(group, version, kind, plural, namespaced, model, List.of(kept), true, false);
    }

    /** This kind, judged in manifests but never listed from a cluster. */
    public ApiKind unscanned() {
        return new ApiKind(group, version, kind, plural, namespaced, model, kept, false, optional);
    }

    /** A custom resource a cluster may not serve, read whole as a generic resource. */
    public static ApiKind custom(String group, String version, String kind, String plural) {
        return new ApiKind(group, version, kind, plural, true, GenericKubernetesResource.class, List.of(), true, true);
    }

    /** "apps/v1", or "v1" for the core group. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** "apps/deployments", "/pods": how RBAC rules and webhook rules name it. */
    public String resource() {
        return group + "/" + plural;
    }
}
