package dev.haguard.server;

import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Writes what {@link StandardRules#defaultBudgets} asks, on the leader: creates, updates and deletes only budgets labelled as
 * ha-guard's, each write on its own (one refused write does not stop the others), each counted by outcome.
 */
final class DefaultBudgetsWriter {

    private static final Logger LOG = Logger.getLogger(DefaultBudgetsWriter.class);

    private final KubernetesClient client;
    private final BiConsumer<String, Integer> counted;
    private int refusals;

    /** @param counted gets each outcome (created, updated, deleted, failed) and how many */
    DefaultBudgetsWriter(KubernetesClient client, BiConsumer<String, Integer> counted) {
        this.client = client;
        this.counted = counted;
    }

    void apply(StandardRules.BudgetWrites plan) {
        refusals = 0;
        int created = 0;
        int updated = 0;
        int deleted = 0;
        for (PodDisruptionBudget b : plan.create()) {
            created += write("create", b.getMetadata().getNamespace(), b.getMetadata().getName(),
                    () -> budgets(b.getMetadata().getNamespace()).resource(b).create());
        }
        for (PodDisruptionBudget b : plan.update()) {
            updated += write("update", b.getMetadata().getNamespace(), b.getMetadata().getName(),
                    () -> budgets(b.getMetadata().getNamespace()).withName(b.getMetadata().getName())
                            .edit(have -> StandardRules.isDefaultBudget(have.getMetadata().getLabels()) ? mine(have, b)
                                    : have));
        }
        for (String key : plan.delete()) {
            String[] ns = key.split("/", 2);
            deleted += write("delete", ns[0], ns[1], () -> {
                PodDisruptionBudget have = budgets(ns[0]).withName(ns[1]).get();
                // Checked again on the object itself: never delete a budget that is not ha-guard's.
                if (have != null && StandardRules.isDefaultBudget(have.getMetadata().getLabels())) {
                    budgets(ns[0]).withName(ns[1]).delete();
                }
            });
        }
        int failed = plan.create().size() + plan.update().size() + plan.delete().size() - created - updated - deleted;
        counted.accept("created", created);
        counted.accept("updated", updated);
        counted.accept("deleted", deleted);
        counted.accept("failed", failed);
        if (!plan.isEmpty()) {
            LOG.infof("default PodDisruptionBudgets: %d created, %d updated, %d deleted, %d refused", created, updated,
                    deleted, failed);
        }
    }

    private static PodDisruptionBudget mine(PodDisruptionBudget have, PodDisruptionBudget want) {
        have.setSpec(want.getSpec());
        have.getMetadata().setOwnerReferences(want.getMetadata().getOwnerReferences());
        return have;
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<PodDisruptionBudget,
            io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetList,
            io.fabric8.kubernetes.client.dsl.Resource<PodDisruptionBudget>> budgets(String namespace) {
        return client.policy().v1().podDisruptionBudget().inNamespace(namespace);
    }

    /**
     * One write; 1 when done, 0 when the API server refused it. The first refusal of a round is logged with why (RBAC,
     * a conflict, a webhook), the others only counted: one missing permission refuses them all.
     */
    private int write(String verb, String namespace, String name, Runnable call) {
        try {
            call.run();
            return 1;
        } catch (KubernetesClientException e) {
            if (refusals++ > 0) {
                return 0;
            }
            LOG.warnf("default PodDisruptionBudgets: could not %s %s/%s: %s%s", verb, namespace, name, e.getCode() == 403
                    ? "forbidden (add deploy/components/default-budgets, which lets ha-guard write them)"
                    : "HTTP " + e.getCode(), e.getStatus() == null ? "" : " " + e.getStatus().getMessage());
            return 0;
        }
    }
}
