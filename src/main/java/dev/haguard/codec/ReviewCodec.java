package dev.haguard.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Operation;
import dev.haguard.engine.Outcome;
import dev.haguard.json.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Turns request bytes into an {@link Admission} and a {@link Decision} into an AdmissionReview response. */
public final class ReviewCodec {

    public static final String API_VERSION = "admission.k8s.io/v1";
    public static final String KIND = "AdmissionReview";

    private ReviewCodec() {
    }

    public static Admission read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BadReviewException("empty body: expected an " + API_VERSION + " " + KIND);
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            // The parser's limits (nesting depth, number and string length): the message holds numbers only.
            throw new BadReviewException("body is over a parser limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            // Where, not what: the parser's own message quotes the text it choked on, which may be secret data.
            throw new BadReviewException("body is not valid JSON" + (e instanceof StreamReadException sre
                    && sre.getMessage().contains("Duplicate field") ? " (a key appears twice in one object)" : "")
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new BadReviewException("body could not be read: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new BadReviewException("body must be a JSON object: an " + API_VERSION + " " + KIND);
        }
        expect(tree, "apiVersion", API_VERSION);
        expect(tree, "kind", KIND);
        JsonNode request = tree.get("request");
        if (request == null || !request.isObject()) {
            throw new BadReviewException("request is missing: an " + KIND + " sent to a webhook carries a request object");
        }
        AdmissionRequest typed = typed(tree).getRequest();
        return admission(typed);
    }

    private static void expect(JsonNode tree, String field, String expected) {
        String actual = tree.path(field).asText(null);
        if (!expected.equals(actual)) {
            throw new BadReviewException(field + " is " + (actual == null ? "missing" : "\"" + actual + "\"")
                    + ": expected \"" + expected + "\"");
        }
    }

    /** Read from the tree directly: convertValue would first write the whole tree out again into a buffer. */
    private static AdmissionReview typed(JsonNode tree) {
        try {
            return Json.MAPPER.treeToValue(tree, AdmissionReview.class);
        } catch (JsonMappingException m) {
            String path = Json.path(m);
            String type = m instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mi
                    && mi.getTargetType() != null ? mi.getTargetType().getSimpleName() : "a valid value";
            throw new BadReviewException(path + ": has the wrong type or shape (expected " + type + ")");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new BadReviewException("the " + KIND + " could not be read: " + e.getMessage());
        }
    }

    private static Admission admission(AdmissionRequest r) {
        String uid = required(r.getUid(), "request.uid");
        Operation operation;
        try {
            operation = Operation.valueOf(required(r.getOperation(), "request.operation"));
        } catch (IllegalArgumentException e) {
            throw new BadReviewException("request.operation is \"" + r.getOperation()
                    + "\": expected CREATE, UPDATE, DELETE or CONNECT");
        }
        if (r.getKind() == null) {
            throw new BadReviewException("request.kind is missing: expected {group, version, kind}");
        }
        if (r.getResource() == null) {
            throw new BadReviewException("request.resource is missing: expected {group, version, resource}");
        }
        HasMetadata object = metadataOf(r.getObject(), "request.object");
        HasMetadata oldObject = metadataOf(r.getOldObject(), "request.oldObject");
        if (object == null && (operation == Operation.CREATE || operation == Operation.UPDATE)) {
            throw new BadReviewException("request.object is missing: a " + operation + " carries the object");
        }
        if (oldObject == null && operation == Operation.UPDATE) {
            throw new BadReviewException("request.oldObject is missing: an UPDATE carries the stored object");
        }
        var user = r.getUserInfo();
        Admission.Target type = new Admission.Target(
                Objects.requireNonNullElse(r.getResource().getGroup(), ""),
                Objects.requireNonNullElse(r.getResource().getVersion(), ""),
                required(r.getKind().getKind(), "request.kind.kind"),
                required(r.getResource().getResource(), "request.resource.resource"),
                Objects.requireNonNullElse(r.getSubResource(), ""));
        Admission.User who = new Admission.User(user == null ? "" : Objects.requireNonNullElse(user.getUsername(), ""),
                user == null || user.getGroups() == null ? List.of() : user.getGroups());
        return new Admission(uid, operation, type, Objects.requireNonNullElse(r.getNamespace(), ""),
                Objects.requireNonNullElse(r.getName(), ""), Boolean.TRUE.equals(r.getDryRun()), who, object, oldObject);
    }

    private static HasMetadata metadataOf(Object value, String field) {
        if (value == null) {
            return null;
        }
        if (value instanceof HasMetadata h) {
            if (h.getMetadata() == null) {
                throw new BadReviewException(field + ".metadata is missing: every Kubernetes object has metadata");
            }
            return h;
        }
        throw new BadReviewException(field + " is not a Kubernetes object (expected apiVersion, kind and metadata)");
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new BadReviewException(field + " is missing");
        }
        return value;
    }

    /**
     * Keys the API server files under this webhook's name in its own audit log, so that its records point at ours:
     * the decision, each rule that fired with its outcome, the policy scope, and {@code record}, the uid of ha-guard's
     * audit record of this call (a fresh UUID per webhook call, found nowhere else in the API server's event), which
     * {@code audit verify --apiserver-audit-log} matches.
     */
    static Map<String, String> auditAnnotations(String uid, Decision decision) {
        String fired = decision.rules().stream()
                .filter(r -> r.outcome() != Outcome.PASS && r.outcome() != Outcome.SKIP)
                .map(r -> r.rule() + "=" + r.outcome().label()).collect(Collectors.joining(","));
        Map<String, String> annotations = new java.util.LinkedHashMap<>();
        annotations.put("decision", decision.result());
        annotations.put("rules", fired);
        annotations.put("scope", decision.scope());
        annotations.put("record", uid);
        if (decision.breakGlass()) {
            annotations.put("break-glass", "true");
        }
        return annotations;
    }

    /** The response review: uid echoed; status on denial; warnings; a base64 JSON Patch when there is one. */
    public static AdmissionReview response(String uid, Decision decision) {
        AdmissionResponse response = new AdmissionResponse();
        response.setUid(uid);
        response.setAllowed(decision.allowed());
        if (!decision.allowed()) {
            response.setStatus(new StatusBuilder().withCode(403).withReason("Forbidden")
                    .withMessage(decision.message()).build());
        }
        if (!decision.warnings().isEmpty()) {
            response.setWarnings(decision.warnings());
        }
        response.setAuditAnnotations(auditAnnotations(uid, decision));
        if (decision.hasPatch()) {
            response.setPatchType("JSONPatch");
            response.setPatch(Base64.getEncoder().encodeToString(
                    decision.patch().toString().getBytes(StandardCharsets.UTF_8)));
        }
        AdmissionReview review = new AdmissionReview();
        review.setApiVersion(API_VERSION);
        review.setKind(KIND);
        review.setResponse(response);
        return review;
    }
}
