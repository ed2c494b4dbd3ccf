package dev.haguard.backstop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.Admissions;
import dev.haguard.DeployedWebhooks;
import dev.haguard.Fixtures;
import dev.haguard.Policies;
import dev.haguard.engine.Admission;
import dev.haguard.engine.ClusterView;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Operation;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.Policy;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** One request of the backstop proof, with the labels of its namespace, and the review as recorded (null for a built one). */
record Case(String what, Admission admission, Map<String, String> namespaceLabels,
        com.fasterxml.jackson.databind.JsonNode recorded, Map<String, String> autoscaled) {

    Case(String what, Admission admission, Map<String, String> namespaceLabels) {
        this(what, admission, namespaceLabels, null, Map.of());
    }

    Case(String what, Admission admission, Map<String, String> namespaceLabels,
            com.fasterxml.jackson.databind.JsonNode recorded) {
        this(what, admission, namespaceLabels, recorded, Map.of());
    }

    /** A request about a workload while HPAs scale {@code autoscaled} ("namespace/Kind/name" to the HPA). */
    static Case scaled(String what, Admission admission, Map<String, String> autoscaled) {
        return new Case(what, admission, Map.of(), null, autoscaled);
    }

    /**
     * What the backstop sees: the recorded objects as the API server sent them, else the built ones, with the
     * parameter the leader would write for these HPAs.
     */
    Map<String, CelPolicies.Verdict> evaluate(CelPolicies cel, Policy policy) {
        var request = recorded == null ? null : recorded.path("request");
        return cel.evaluate(admission, namespaceLabels, request == null ? tree(admission.object())
                : request.get("object"), request == null ? tree(admission.oldObject()) : request.get("oldObject"),
                dev.haguard.cel.Autoscaled.configMap(Backstop.NAMESPACE, autoscaled, policy.workloadKinds()));
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(Object o) {
        return o == null ? null : dev.haguard.json.Json.tree(o);
    }

    static io.fabric8.kubernetes.api.model.ReplicationController rc(Integer replicas,
            io.fabric8.kubernetes.api.model.PodTemplateSpec template) {
        return new io.fabric8.kubernetes.api.model.ReplicationControllerBuilder().withNewMetadata().withName("rc")
                .withNamespace("rehearsal").endMetadata().withNewSpec().withReplicas(replicas).withTemplate(template)
                .endSpec().build();
    }

    /** A kubectl scale of Deployment shop/web from {@code old} to {@code now}. */
    static Admission scale(Integer old, Integer now) {
        var before = new io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder().withNewMetadata().withName("web")
                .withNamespace("shop").endMetadata().withNewSpec().withReplicas(old).endSpec().build();
        var after = new io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder(before).editSpec().withReplicas(now)
                .endSpec().build();
        return new Admission("uid-scale", Operation.UPDATE, new Admission.Target("apps", "v1", "Scale", "deployments",
                "scale"), "shop", "web", false, new Admission.User("alice", List.of("system:authenticated")), after, before);
    }
}
