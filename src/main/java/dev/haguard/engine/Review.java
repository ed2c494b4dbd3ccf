package dev.haguard.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * What a rule sees: the admission, which webhook is asking, the object to judge or change, and the cluster.
 * On the mutating webhook {@code target} is a working copy whose changes become the patch;
 * on the validating webhook it is the request's object and must not be changed.
 */
public record Review(Admission admission, Webhook webhook, HasMetadata target, ClusterView cluster) {

    public boolean mutating() {
        return webhook == Webhook.MUTATE;
    }
}
