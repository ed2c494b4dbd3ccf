package dev.haguard.rules.minreplicas;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.engine.Admission;
import dev.haguard.engine.ClusterView;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.StateFinding;
import dev.haguard.engine.Stored;
import dev.haguard.rules.common.LabelsIndex;
import dev.haguard.rules.common.Workloads;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What runs as one copy without looking like it: a bare Pod nothing re-creates, an HPA whose target does not exist,
 * a Service whose only endpoint is one pod.
 */
final class Alone {

    static final String MIRROR = "kubernetes.io/config.mirror";

    private Alone() {
    }

    /** A Pod at CREATE: a bare one that runs until stopped is a notice; a controller's pod is judged on it. */
    static Finding pod(Pod pod, int minimum) {
        if (Workloads.controller(pod).isPresent()) {
            return Finding.skip("made by " + Workloads.controller(pod).get().getKind() + ": judged there");
        }
        if (Workloads.annotations(pod).containsKey(MIRROR)) {
            return Finding.skip("mirror pod of a static pod: the kubelet re-creates it");
        }
        String restart = pod.getSpec() == null ? null : pod.getSpec().getRestartPolicy();
        if (restart != null && !restart.equals("Always")) {
            return Finding.skip("restartPolicy " + restart + ": it runs to completion");
        }
        return Finding.notice(MinReplicasWords.barePod(minimum));
    }

    /**
     * For an HPA whose Deployment or StatefulSet target the cluster view does not hold, what to say; null where it
     * exists, or where the namespace's workloads are not known.
     */
    static String orphan(RuleContext context, String kind, String name) {
        Admission a = context.admission();
        if (!kind.equals("Deployment") && !kind.equals("StatefulSet")) {
            return null; // an HPA may scale any kind with a scale subresource; only these two are known
        }
        List<ClusterView.Workload> known = context.cluster().workloads(a.namespace()).orElse(null);
        if (known == null || known.stream().anyMatch(w -> w.kind().equals(kind) && w.name().equals(name))) {
            return null;
        }
        String nearest = known.stream().filter(w -> w.kind().equals(kind)).map(ClusterView.Workload::name)
                .filter(n -> distance(n, name) <= 2).min((x, y) -> distance(x, name) - distance(y, name)).orElse(null);
        return MinReplicasWords.orphan(kind, name, a.namespace(), nearest);
    }

    /** A workload a Service may select: what the check reads of it. */
    private record Selectable(String kind, String name, int replicas, Map<String, String> podLabels) {
    }

    /**
     * Services whose selector finds the pods of a single workload that runs one replica (Popeye's POP-1109): said on
     * the Service, which the workload's own finding does not name, for the clients it leaves with one endpoint.
     */
    static List<StateFinding> services(Stored stored, Rule.ScopedSettings<MinReplicasConfig> settings) {
        Set<String> scaled = new HashSet<>();
        for (JsonNode h : stored.of("HorizontalPodAutoscaler")) {
            JsonNode target = h.path("spec").path("scaleTargetRef");
            scaled.add(h.path("metadata").path("namespace").asText() + "/" + target.path("kind").asText() + "/"
                    + target.path("name").asText());
        }
        // The workloads a Service can select, by namespace: read once, not once per Service.
        Map<String, LabelsIndex<Selectable>> workloads = new HashMap<>();
        for (String kind : List.of("Deployment", "StatefulSet", "ReplicationController", "ReplicaSet")) {
            for (JsonNode w : stored.of(kind)) {
                if (!w.path("metadata").path("ownerReferences").elements().hasNext()) {
                    Selectable selectable = new Selectable(kind, w.path("metadata").path("name").asText(),
                            w.path("spec").path("replicas").asInt(1), Stored.strings(w.path("spec").path("template")
                                    .path("metadata").path("labels")));
                    workloads.computeIfAbsent(w.path("metadata").path("namespace").asText(), n -> new LabelsIndex<>(
                            Selectable::podLabels)).add(selectable);
                }
            }
        }
        List<StateFinding> found = new ArrayList<>();
        for (JsonNode svc : stored.of("Service")) {
            Map<String, String> selector = Stored.strings(svc.path("spec").path("selector"));
            String ns = svc.path("metadata").path("namespace").asText();
            if (selector.isEmpty() || svc.path("spec").path("type").asText().equals("ExternalName")) {
                continue;
            }
            LabelsIndex<Selectable> here = workloads.get(ns);
            List<Selectable> selected = here == null ? List.of() : here.selectedBy(new LabelSelector(null, selector));
            if (selected.size() != 1) {
                continue;
            }
            Selectable w = selected.get(0);
            String kind = w.kind();
            String name = w.name();
            // Where the policy accepts a single replica (minimum 1), so is a single endpoint.
            MinReplicasConfig config = settings.at(ns, Stored.strings(svc.path("metadata").path("labels")));
            if (config != null && config.minimum() > 1 && w.replicas() == 1
                    && !scaled.contains(ns + "/" + kind + "/" + name)) {
                found.add(new StateFinding(ns, "Service", svc.path("metadata").path("name").asText(),
                        Finding.Kind.NOTICE, MinReplicasWords.oneEndpoint(kind, name, config.minimum())));
            }
        }
        return found;
    }

    /** Levenshtein's edit distance: cart to carts is 1. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                current[j] = Math.min(Math.min(current[j - 1], previous[j]) + 1,
                        previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.length()];
    }
}
