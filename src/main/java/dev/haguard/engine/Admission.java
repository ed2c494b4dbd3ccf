package dev.haguard.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * One admission request, already checked for shape: what the API server asks about, typed.
 *
 * @param group API group of the resource ("" for the core group)
 * @param kind kind of {@code object} (for a subresource, the subresource's kind, e.g. Scale)
 * @param resource plural resource name, e.g. "deployments"
 * @param subResource "" for the main resource, e.g. "scale" or "status"
 * @param object the object as it would be stored; null for DELETE
 * @param oldObject the stored object for UPDATE and DELETE; null for CREATE
 */
public record Admission(
        String uid,
        Operation operation,
        String group,
        String version,
        String kind,
        String resource,
        String subResource,
        String namespace,
        String name,
        boolean dryRun,
        String userName,
        List<String> userGroups,
        HasMetadata object,
        HasMetadata oldObject) {

    public boolean isCreate() {
        return operation == Operation.CREATE;
    }

    public boolean isUpdate() {
        return operation == Operation.UPDATE;
    }

    public boolean onMainResource() {
        return subResource.isEmpty();
    }

    public boolean isMain(String group, String resource) {
        return onMainResource() && this.group.equals(group) && this.resource.equals(resource);
    }

    /** "Deployment lab/web": how messages name the object. */
    public String describe() {
        String n = name.isEmpty() && object != null && object.getMetadata() != null
                ? nonNull(object.getMetadata().getGenerateName()) + "*" : name;
        String ns = namespace.isEmpty() ? "" : namespace + "/";
        String sub = subResource.isEmpty() ? "" : " (" + resource + "/" + subResource + ")";
        return kind + " " + ns + n + sub;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
