package dev.haguard.rules.disruptionbudgets;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * How many voluntary evictions a PodDisruptionBudget allows when all {@code replicas} pods are healthy, as the
 * disruption controller computes it (pkg/controller/disruption/disruption.go, getExpectedPodCount and
 * updatePdbStatus): a percentage of minAvailable or maxUnavailable is scaled against the replica count and rounded
 * up (intstr.GetScaledValueFromIntOrPercent with roundUp true; Kubernetes' "Specifying a Disruption Budget" page
 * says the same), then disruptionsAllowed = healthy - desiredHealthy, never below 0.
 */
public final class Budgets {

    private Budgets() {
    }

    /** How many of {@code replicas} pods the budget keeps healthy (its desiredHealthy), at least 0. */
    public static int minimumHealthy(PodDisruptionBudget pdb, int replicas) {
        return replicas - allowed(pdb, replicas);
    }

    static int allowed(PodDisruptionBudget pdb, int replicas) {
        var spec = pdb.getSpec();
        if (spec == null) {
            return replicas;
        }
        int desiredHealthy;
        if (spec.getMaxUnavailable() != null) {
            desiredHealthy = replicas - scaled(spec.getMaxUnavailable(), replicas);
        } else if (spec.getMinAvailable() != null) {
            desiredHealthy = scaled(spec.getMinAvailable(), replicas);
        } else {
            desiredHealthy = 0; // neither set: nothing is kept
        }
        return Math.max(0, replicas - Math.max(0, desiredHealthy));
    }

    /** An IntOrString of pods, or a percentage of {@code replicas} rounded up. */
    static int scaled(IntOrString value, int replicas) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal() == null ? "0" : value.getStrVal().trim();
        if (text.endsWith("%")) {
            int percent = Integer.parseInt(text.substring(0, text.length() - 1).trim());
            return (int) Math.ceil(percent * replicas / 100.0);
        }
        return Integer.parseInt(text);
    }

    /** The budget as written: "maxUnavailable: 0" or "minAvailable: 100%". */
    static String describe(PodDisruptionBudget pdb) {
        var spec = pdb.getSpec();
        if (spec == null || spec.getMaxUnavailable() == null && spec.getMinAvailable() == null) {
            return "no minAvailable or maxUnavailable";
        }
        return spec.getMaxUnavailable() != null ? "maxUnavailable: " + text(spec.getMaxUnavailable())
                : "minAvailable: " + text(spec.getMinAvailable());
    }

    private static String text(IntOrString value) {
        return value.getIntVal() != null ? value.getIntVal().toString() : "\"" + value.getStrVal() + "\"";
    }
}
