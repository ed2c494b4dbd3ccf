package dev.haguard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.engine.Admission;
import dev.haguard.json.Json;

/** AdmissionReview bodies, as the API server sends them, for requests no recording covers. */
public final class Reviews {

    private Reviews() {
    }

    /** The review the API server would send for {@code admission}. */
    public static String of(Admission admission) {
        ObjectNode review = Json.MAPPER.createObjectNode().put("apiVersion", "admission.k8s.io/v1")
                .put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", admission.uid())
                .put("namespace", admission.namespace()).put("name", admission.name())
                .put("operation", admission.operation().name()).put("dryRun", admission.dryRun());
        request.putObject("kind").put("group", admission.group()).put("version", admission.version())
                .put("kind", admission.kind());
        request.putObject("resource").put("group", admission.group())
                .put("version", admission.version()).put("resource", admission.resource());
        if (!admission.subResource().isEmpty()) {
            request.put("subResource", admission.subResource());
        }
        request.putObject("userInfo").put("username", admission.userName()).set("groups",
                Json.MAPPER.valueToTree(admission.userGroups()));
        if (admission.object() != null) {
            request.set("object", Json.tree(admission.object()));
        }
        if (admission.oldObject() != null) {
            request.set("oldObject", Json.tree(admission.oldObject()));
        }
        return review.toString();
    }
}
