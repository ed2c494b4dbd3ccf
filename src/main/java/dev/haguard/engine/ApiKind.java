package dev.haguard.engine;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * A kind of object a rule reads: how the API server names and serves it, the model class ha-guard reads it as, and
 * what of it a scan keeps (besides its metadata; {@code keptControlled}, when not null, of an object a controller
 * manages, which is judged on its controller and only read). A scan lists it only where {@code scanned}: ConfigMaps and Secrets
 * are judged in manifests, never listed from a cluster. {@code optional}: a custom resource that a cluster may not
 * serve (Velero's), which is then a finding, not an error.
 */
public record ApiKind(String group, String version, String kind, String plural, boolean namespaced,
        Class<? extends HasMetadata> model, List<String> kept, List<String> keptControlled, boolean scanned,
        boolean optional) {

    public ApiKind {
        kept = List.copyOf(kept);
        keptControlled = keptControlled == null ? null : List.copyOf(keptControlled);
    }

    /** A built-in kind a scan lists, keeping {@code kept} of each object. */
    public static ApiKind of(String group, String version, String kind, String plural, boolean namespaced,
            Class<? extends HasMetadata> model, String... kept) {
        return new ApiKind(group, version, kind, plural, namespaced, model, List.of(kept), null, true, false);
    }

    /**
     * This kind, keeping of an object that a controller manages only {@code kept} (paths as in {@code kept};
     * {@code a.b[].c} keeps {@code c} of each element of the array {@code a.b}).
     */
    public ApiKind keepingControlled(String... kept) {
        return new ApiKind(group, version, kind, plural, namespaced, model, this.kept, List.of(kept), scanned, optional);
    }

    /** This kind, judged in manifests but never listed from a cluster. */
    public ApiKind unscanned() {
        return new ApiKind(group, version, kind, plural, namespaced, model, kept, keptControlled, false, optional);
    }

    /** A custom resource a cluster may not serve, read whole as a generic resource. */
    public static ApiKind custom(String group, String version, String kind, String plural) {
        return new ApiKind(group, version, kind, plural, true, GenericKubernetesResource.class, List.of(), null, true,
                true);
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
