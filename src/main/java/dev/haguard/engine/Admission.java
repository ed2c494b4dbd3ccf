package dev.haguard.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * One admission request, already checked for shape: what the API server asks about, typed.
 *
 * @param type what kind of request it is: the resource, its kind and subresource
 * @param user who asked
 * @param object the object as it would be stored; null for DELETE
 * @param oldObject the stored object for UPDATE and DELETE; null for CREATE
 */
public record Admission(
        String uid,
        Operation operation,
        Target type,
        String namespace,
        String name,
        boolean dryRun,
        User user,
        HasMetadata object,
        HasMetadata oldObject) {

    /**
     * @param group API group of the resource ("" for the core group)
     * @param kind kind of the object (for a subresource, the subresource's kind, e.g. Scale)
     * @param resource plural resource name, e.g. "deployments"
     * @param subResource "" for the main resource, e.g. "scale" or "status"
     */
    public record Target(String group, String version, String kind, String resource, String subResource) {
    }

    public record User(String name, List<String> groups) {
        public User {
            groups = List.copyOf(groups);
        }
    }

    /** The same request about another object (the mutating webhook's patch applied, for instance). */
    public Admission withObject(HasMetadata changed) {
        return new Admission(uid, operation, type, namespace, name, dryRun, user, changed, oldObject);
    }

    public String group() {
        return type.group();
    }

    public String version() {
        return type.version();
    }

    public String kind() {
        return type.kind();
    }

    public String resource() {
        return type.resource();
    }

    public String subResource() {
        return type.subResource();
    }

    /** "deployments", or "deployments/scale" for a subresource: how webhook rules name it. */
    public String resourcePath() {
        return subResource().isEmpty() ? resource() : resource() + "/" + subResource();
    }

    public String userName() {
        return user.name();
    }

    public List<String> userGroups() {
        return user.groups();
    }

    public boolean isCreate() {
        return operation == Operation.CREATE;
    }

    public boolean isUpdate() {
        return operation == Operation.UPDATE;
    }

    public boolean onMainResource() {
        return subResource().isEmpty();
    }

    public boolean isMain(String group, String resource) {
        return onMainResource() && group().equals(group) && resource().equals(resource);
    }

    /** "Deployment lab/web": how messages name the object. */
    public String describe() {
        String n = name.isEmpty() && object != null && object.getMetadata() != null
                ? nonNull(object.getMetadata().getGenerateName()) + "*" : name;
        String ns = namespace.isEmpty() ? "" : namespace + "/";
        String sub = subResource().isEmpty() ? "" : " (" + resourcePath() + ")";
        return kind() + " " + ns + n + sub;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
