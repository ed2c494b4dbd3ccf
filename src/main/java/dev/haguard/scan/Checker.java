package dev.haguard.scan;

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
import dev.haguard.rules.StandardRules;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Judges manifests as the CREATEs the API server would send for them, through the same engine as the webhooks:
 * the mutating webhook first, its patch applied, then the validating webhook. A recorded AdmissionReview in the
 * input is replayed as it is.
 */
public final class Checker {

    /** Cluster-scoped kinds besides those named Cluster* (ClusterRole, ClusterIssuer, ClusterPolicyReport, ...). */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "Node", "PersistentVolume",
            "CustomResourceDefinition", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "PriorityClass", "StorageClass",
            "IngressClass", "RuntimeClass", "APIService", "CSIDriver", "CSINode", "VolumeAttachment",
            "CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration", "VolumeSnapshotClass");

    private final AdmissionEngine engine;
    private final Map<String, Class<? extends HasMetadata>> models;
    private final Policy policy;
    private final EnumSet<Webhook> webhooks;
    private final String defaultNamespace;

    /** Judges with {@code rules}' engine, reading the kinds they declare as their model classes. */
    public Checker(StandardRules rules, Policy policy, EnumSet<Webhook> webhooks, String defaultNamespace) {
        this.engine = rules.engine();
        this.models = rules.models();
        this.policy = policy;
        this.webhooks = webhooks;
        this.defaultNamespace = defaultNamespace;
    }

    /**
     * {@code notes}: what was skipped, and why: an object found in a folder that the API server would not take as one
     * (no metadata, an unrendered template); named on its own, such an object fails the run instead.
     */
    public List<Verdict> check(List<Document> docs, Consumer<String> notes) throws UnusableInput {
        Run run = new Run();
        docs.forEach(run::learn);
        List<Verdict> results = new ArrayList<>();
        for (Document doc : docs) {
            Verdict v = run.check(doc, notes);
            if (v != null) {
                results.add(v);
            }
        }
        return results;
    }

    /**
     * One pass over a set of objects that judges them against each other without holding them: each is first learned
     * (what it tells of the cluster: namespaces' labels, autoscalers, budgets, workloads), then checked one by one.
     */
    public Run run() {
        return new Run();
    }

    /** See {@link #run()}. */
    public final class Run {
        private final ManifestCluster cluster = new ManifestCluster(defaultNamespace);
        private int n;

        private Run() {
        }

        /** Learns what this object tells of the cluster (before any is checked). */
        public void learn(Document doc) {
            cluster.add(doc);
        }

        /** The verdict on one object; null where it was skipped (with a note). */
        public Verdict check(Document doc, Consumer<String> notes) throws UnusableInput {
            var unserved = ServedVersions.check(doc.content().path("apiVersion").asText(), doc.content().path("kind")
                    .asText());
            Document judged = unserved.map(u -> doc.withApiVersion(u.served())).orElse(doc);
            boolean replayed = doc.content().path("kind").asText().equals(ReviewCodec.KIND);
            Admission admission;
            try {
                admission = admission(judged, ++n);
            } catch (NotAnObject e) {
                if (!doc.inFolder()) {
                    throw e;
                }
                notes.accept("skipped " + e.getMessage());
                return null;
            }
            return Checker.this.check(doc, admission, replayed ? cluster.withoutBudgets() : cluster,
                    unserved.orElse(null));
        }
    }

    /** A document that is no object the API server would take as it is; skipped where it was found in a folder. */
    static final class NotAnObject extends UnusableInput {
        NotAnObject(String message) {
            super(message);
        }
    }

    private Verdict check(Document doc, Admission admission, ClusterView cluster,
            ServedVersions.Unserved unserved) {
        Decision mutate = null;
        Admission judged = admission;
        if (webhooks.contains(Webhook.MUTATE)) {
            mutate = engine.decide(admission, policy, Webhook.MUTATE, cluster);
            if (mutate.hasPatch()) {
                HasMetadata patched = Json.KUBE.convertValue(
                        JsonPatch.apply(mutate.patch(), Json.tree(admission.object())), admission.object().getClass());
                judged = admission.withObject(patched);
            }
        }
        Decision validate = webhooks.contains(Webhook.VALIDATE) && (mutate == null || mutate.allowed())
                ? engine.decide(judged, policy, Webhook.VALIDATE, cluster) : null;
        return new Verdict(doc, admission, mutate, validate, judged.object() == null ? null : Json.tree(judged.object()),
                unserved);
    }

    private Admission admission(Document doc, int n) throws UnusableInput {
        JsonNode content = doc.content();
        if (content.path("kind").asText().equals(ReviewCodec.KIND)) {
            try {
                return ReviewCodec.read(Json.MAPPER.writeValueAsBytes(content));
            } catch (BadReviewException e) {
                throw new UnusableInput(doc.where() + ": " + e.getMessage());
            } catch (IOException e) {
                throw new UnusableInput(doc.where() + ": " + e.getMessage());
            }
        }
        HasMetadata object = typed(doc);
        String kind = object.getKind();
        String apiVersion = object.getApiVersion();
        if (object.getMetadata() == null) {
            throw new NotAnObject(doc.where() + ": " + kind + " has no metadata, so the API server would refuse it (a "
                    + "file for a tool such as istioctl or an operator, not for kubectl apply)");
        }
        if (clusterScoped(kind)) {
            object.getMetadata().setNamespace(null); // the API server ignores a namespace written on one
        } else if (object.getMetadata().getNamespace() == null) {
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

    static boolean clusterScoped(String kind) {
        return CLUSTER_SCOPED.contains(kind) || kind.startsWith("Cluster");
    }

    /**
     * The class to read an object of this apiVersion and kind as: its model class where a rule reads it, else a
     * generic resource. (Asking fabric8 to find the class of any kind loads its whole registry first: half of a
     * one-file check's start-up.)
     */
    private Class<? extends HasMetadata> model(String apiVersion, String kind) {
        return models.getOrDefault(apiVersion + "/" + kind, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
    }

    private HasMetadata typed(Document doc) throws UnusableInput {
        String kind = doc.content().path("kind").asText();
        HasMetadata h;
        try {
            h = Json.KUBE.convertValue(doc.content(), model(doc.content().path("apiVersion").asText(), kind));
        } catch (IllegalArgumentException e) {
            String detail = e.getCause() instanceof JsonMappingException m
                    ? m.getOriginalMessage().lines().findFirst().orElse("") + " at " + Json.path(m)
                    : e.getMessage();
            if (doc.content().toString().contains("{{")) {
                throw new NotAnObject(doc.where() + ": " + kind + " holds template actions where Kubernetes expects "
                        + "values (" + detail + "): a template, render it first");
            }
            throw new UnusableInput(doc.where() + ": cannot read " + kind + ": " + detail);
        }
        JsonNode typed = Json.tree(h);
        String quoted = quoted(doc.content(), typed, "");
        if (quoted != null && at(doc.content(), quoted).asText().contains("{{")) {
            throw new NotAnObject(doc.where(quoted) + ": " + kind + " " + quoted + " is the template text "
                    + at(doc.content(), quoted) + ": a template, render it first");
        }
        if (quoted != null) {
            throw new UnusableInput(doc.where(quoted) + ": " + kind + " " + quoted + " is the string "
                    + at(doc.content(), quoted) + ", where Kubernetes expects " + (at(typed, quoted).isBoolean()
                    ? "true or false" : "a number") + ": the API server refuses it (cannot unmarshal string); write "
                    + at(typed, quoted) + " without quotes");
        }
        return h;
    }

    /**
     * The first field written as a string that the model read as a number or boolean. fabric8's Go-compatibility
     * reading accepts {@code replicas: "2"}; the API server does not, so neither does check.
     */
    private static String quoted(JsonNode written, JsonNode read, String path) {
        if (written.isTextual() && (read.isNumber() || read.isBoolean())) {
            return path;
        }
        if (written.isObject() && read.isObject()) {
            for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) written.properties()::iterator) {
                JsonNode other = read.get(field.getKey());
                String found = other == null ? null
                        : quoted(field.getValue(), other, path.isEmpty() ? field.getKey() : path + "." + field.getKey());
                if (found != null) {
                    return found;
                }
            }
        } else if (written.isArray() && read.isArray()) {
            for (int i = 0; i < Math.min(written.size(), read.size()); i++) {
                String found = quoted(written.get(i), read.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static JsonNode at(JsonNode node, String path) {
        JsonNode at = node;
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            at = at.path(bracket < 0 ? part : part.substring(0, bracket));
            for (int i = bracket; i >= 0; i = part.indexOf('[', i + 1)) {
                at = at.path(Integer.parseInt(part.substring(i + 1, part.indexOf(']', i))));
            }
        }
        return at;
    }
}
