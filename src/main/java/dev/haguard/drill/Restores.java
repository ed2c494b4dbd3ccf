package dev.haguard.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.policy.Policy;
import dev.haguard.rules.backups.BackupsConfig;
import dev.haguard.rules.backups.BackupsRule;
import dev.haguard.rules.backups.Protection;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a drill reads besides the Restore: objectives, durations as the policy writes them, readiness. */
public final class Restores {

    private Restores() {
    }

    /** The RTO a namespace declares: its haguard.dev/rto where stricter, else the policy's for its scope; or null. */
    public static Duration declaredRto(Policy policy, String namespace, Map<String, String> labels,
            Map<String, String> annotations) {
        BackupsConfig config = policy.scope(namespace, labels, Map.of()).rules().get(BackupsRule.SETTINGS);
        return Protection.objective(config, annotations).rto();
    }

    /** A duration as the policy writes them (30m, 2h, 5s); an error naming the option otherwise. */
    public static Duration duration(String option, String text) {
        if (!BackupsConfig.valid(text) || BackupsConfig.parse(text).isZero()) {
            throw new IllegalArgumentException(option + " \"" + text + "\" is not a duration such as 30m, 2h or 5s");
        }
        return BackupsConfig.parse(text);
    }

    /** 24h, 3d, 1h30m, 45m. */
    public static String human(Duration d) {
        return Protection.human(d);
    }

    static String detail(JsonNode restore) {
        JsonNode status = restore.path("status");
        List<String> parts = new ArrayList<>();
        if (!status.path("failureReason").asText().isEmpty()) {
            parts.add(status.path("failureReason").asText());
        }
        status.path("validationErrors").forEach(v -> parts.add(v.asText()));
        if (status.path("errors").asInt() > 0) {
            parts.add(status.path("errors").asInt() + " error(s)");
        }
        return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
    }

    /** Null once every restored Deployment and StatefulSet has its replicas ready; else why not by the deadline. */
    static String waitForWorkloads(KubernetesClient client, String scratch, Instant deadline, Duration every,
            Duration limit) throws InterruptedException {
        List<String> waiting = List.of();
        while (Instant.now().isBefore(deadline)) {
            waiting = new ArrayList<>();
            for (var d : client.apps().deployments().inNamespace(scratch).list().getItems()) {
                waiting.addAll(notReady("Deployment " + d.getMetadata().getName(), d.getSpec().getReplicas(),
                        d.getStatus() == null ? null : d.getStatus().getReadyReplicas()));
            }
            for (var s : client.apps().statefulSets().inNamespace(scratch).list().getItems()) {
                waiting.addAll(notReady("StatefulSet " + s.getMetadata().getName(), s.getSpec().getReplicas(),
                        s.getStatus() == null ? null : s.getStatus().getReadyReplicas()));
            }
            if (waiting.isEmpty()) {
                return null;
            }
            Thread.sleep(every.toMillis());
        }
        return "the restored workloads were not ready within " + human(limit) + ": "
                + String.join(", ", waiting) + " ready";
    }

    /** How many Deployments and StatefulSets were restored, and how many of them have all their replicas ready. */
    static com.fasterxml.jackson.databind.node.ObjectNode workloadCounts(KubernetesClient client, String scratch) {
        int total = 0;
        int ready = 0;
        for (var d : client.apps().deployments().inNamespace(scratch).list().getItems()) {
            total++;
            ready += notReady("", d.getSpec().getReplicas(), d.getStatus() == null ? null
                    : d.getStatus().getReadyReplicas()).isEmpty() ? 1 : 0;
        }
        for (var s : client.apps().statefulSets().inNamespace(scratch).list().getItems()) {
            total++;
            ready += notReady("", s.getSpec().getReplicas(), s.getStatus() == null ? null
                    : s.getStatus().getReadyReplicas()).isEmpty() ? 1 : 0;
        }
        return dev.haguard.json.Json.MAPPER.createObjectNode().put("total", total).put("ready", ready);
    }

    private static List<String> notReady(String what, Integer replicas, Integer ready) {
        int want = replicas == null ? 1 : replicas;
        int have = ready == null ? 0 : ready;
        return have < want ? List.of(what + " " + have + "/" + want) : List.of();
    }
}
