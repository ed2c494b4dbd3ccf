package dev.haguard.policy;

/** Where in the cluster the policy document lives: ConfigMap {@code namespace/name}, data entry {@code key}. */
public record PolicyConfigMap(String namespace, String name, String key) {

    public static final PolicyConfigMap DEFAULT = new PolicyConfigMap("ha-guard", "ha-guard-policies", "policy.yaml");

    @Override
    public String toString() {
        return "ConfigMap " + namespace + "/" + name + " (data." + key + ")";
    }
}
