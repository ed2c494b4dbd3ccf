package dev.haguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.codec.BadReviewException;
import dev.haguard.codec.ReviewCodec;
import dev.haguard.engine.Admission;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.ClusterView;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Operation;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import dev.haguard.policy.Policy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Judges manifests as the CREATEs the API server would send for them, through the same engine as the webhooks:
 * the mutating webhook first, its patch applied, then the validating webhook. A recorded AdmissionReview in the
 * input is replayed as it is.
 */
final class Checker {

    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "Node", "PersistentVolume", "ClusterRole",
            "ClusterRoleBinding", "CustomResourceDefinition", "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration", "PriorityClass", "StorageClass", "IngressClass", "RuntimeClass",
            "APIService", "CSIDriver", "VolumeAttachment");

    /** One document's verdict; {@code mutate} or {@code validate} is null where that webhook was not asked. */
    record Result(Manifests.Document doc, Admission admission, Decision mutate, Decision validate, JsonNode object) {
        boolean allowed() {
            return (mutate == null || mutate.allowed()) && (validate == null || validate.allowed());
        }
    }

    private final AdmissionEngine engine;
    private final Policy policy;
    private final EnumSet<Webhook> webhooks;
    private final String defaultNamespace;

    Checker(AdmissionEngine engine, Policy policy, EnumSet<Webhook> webhooks, String defaultNamespace) {
        this.engine = engine;
        this.policy = policy;
        this.webhooks = webhooks;
        this.defaultNamespace = defaultNamespace;
    }

    List<Result> check(List<Manifests.Document> docs) throws Manifests.UnusableInput {
        ClusterView cluster = new ManifestCluster(docs, defaultNamespace);
        List<Result> results = new ArrayList<>();
        int n = 0;
        for (Manifests.Document doc : docs) {
            results.add(check(doc, admission(doc, ++n), cluster));
        }
        return results;
    }

    private Result check(Manifests.Document doc, Admission admission, ClusterView cluster) {
        Decision mutate = null;
        Admission judged = admission;
        if (webhooks.contains(Webhook.MUTATE)) {
            mutate = engine.decide(admission, policy, Webhook.MUTATE, cluster);
            if (mutate.hasPatch()) {
                HasMetadata patched = Json.KUBE.convertValue(
                        JsonPatch.apply(mutate.patch(), Json.tree(admission.object())), HasMetadata.class);
                judged = admission.withObject(patched);
            }
        }
        Decision validate = webhooks.contains(Webhook.VALIDATE) && (mutate == null || mutate.allowed())
                ? engine.decide(judged, policy, Webhook.VALIDATE, cluster) : null;
        return new Result(doc, admission, mutate, validate, judged.object() == null ? null : Json.tree(judged.object()));
    }

    private Admission admission(Manifests.Document doc, int n) throws Manifests.UnusableInput {
        JsonNode content = doc.content();
        if (content.path("kind").asText().equals(ReviewCodec.KIND)) {
            try {
                return ReviewCodec.read(Json.MAPPER.writeValueAsBytes(content));
            } catch (BadReviewException e) {
                throw new Manifests.UnusableInput(doc.where() + ": " + e.getMessage());
            } catch (IOException e) {
                throw new Manifests.UnusableInput(doc.where() + ": " + e.getMessage());
            }
        }
        HasMetadata object = typed(doc);
        String kind = object.getKind();
        String apiVersion = object.getApiVersion();
        if (object.getMetadata() == null) {
            throw new Manifests.UnusableInput(doc.where() + ": " + kind + " has no metadata");
        }
        if (object.getMetadata().getNamespace() == null && !CLUSTER_SCOPED.contains(kind)) {
            object.getMetadata().setNamespace(defaultNamespace);
        }
        String name = object.getMetadata().getName() == null ? "" : object.getMetadata().getName();
        int slash = apiVersion.indexOf('/');
        Admission.Target type = new Admission.Target(slash < 0 ? "" : apiVersion.substring(0, slash),
                apiVersion.substring(slash + 1), kind, Kinds.resource(kind), "");
        return new Admission("check-" + n, Operation.CREATE, type,
                object.getMetadata().getNamespace() == null ? "" : object.getMetadata().getNamespace(), name,
                true, new Admission.User("ha-guard-check", List.of()), object, null);
    }

    private static HasMetadata typed(Manifests.Document doc) throws Manifests.UnusableInput {
        try {
            KubernetesResource r = Json.KUBE.convertValue(doc.content(), KubernetesResource.class);
            if (r instanceof HasMetadata h) {
                return h;
            }
            throw new Manifests.UnusableInput(doc.where() + ": not a Kubernetes object with metadata");
        } catch (IllegalArgumentException e) {
            String detail = e.getCause() instanceof com.fasterxml.jackson.databind.JsonMappingException m
                    ? m.getOriginalMessage().lines().findFirst().orElse("") + " at " + Json.path(m)
                    : e.getMessage();
            throw new Manifests.UnusableInput(doc.where() + ": cannot read " + doc.content().path("kind").asText()
                    + ": " + detail);
        }
    }
}
