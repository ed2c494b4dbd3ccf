package dev.haguard.rules.readinessprobes;

import dev.haguard.engine.Admission;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.Mode;
import dev.haguard.policy.RuleSettings;
import dev.haguard.policy.SimpleRuleConfig;
import dev.haguard.rules.common.Workloads;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Pods that share traffic say when they can take it: with two or more replicas, a rolling update without readiness
 * probes sends requests to pods that have started but cannot answer yet, and a pod that hangs keeps receiving them.
 * Init containers do not serve; sidecars (init containers with restartPolicy: Always) run beside the app and are
 * judged like its containers.
 */
public final class ReadinessProbesRule implements Rule<SimpleRuleConfig> {

    /** Its key in the policy, its settings and the settings where a policy says nothing. */
    public static final RuleSettings<SimpleRuleConfig> SETTINGS =
            RuleSettings.of("readinessProbes", SimpleRuleConfig.class, new SimpleRuleConfig(Mode.WARN));

    @Override
    public RuleSettings<SimpleRuleConfig> settings() {
        return SETTINGS;
    }

    @Override
    public List<Coverage> coverage() {
        return List.of(new Coverage(Webhook.VALIDATE, "apps", "deployments", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "apps", "statefulsets", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "", "replicationcontrollers", Coverage.WRITES));
    }

    @Override
    public boolean judgesWorkloadKinds() {
        return true;
    }

    @Override
    public Finding evaluate(RuleContext context, SimpleRuleConfig config) {
        Admission a = context.admission();
        HasMetadata workload = context.target();
        Optional<String> autoscaler = context.cluster().autoscaler(a.namespace(), a.kind(),
                workload.getMetadata().getName());
        int replicas = Workloads.replicas(workload, context.workloadKind()).orElse(1); // 1: the API server's default
        if (replicas < 2 && autoscaler.isEmpty()) {
            return Finding.skip(replicas + (replicas == 1 ? " replica" : " replicas")
                    + ": no traffic moves between pods during a rollout");
        }
        List<Container> missing = withoutProbe(workload, context);
        if (missing.isEmpty()) {
            return Finding.pass();
        }
        String found = Words.found(autoscaler.map(Words::scaledBy).orElse(Words.runs(String.valueOf(replicas))),
                names(missing));
        if (a.isUpdate() && a.oldObject() != null && names(withoutProbe(a.oldObject(), context)).equals(names(missing))) {
            return Finding.notice(Words.notice(found, fix(missing)));
        }
        return Finding.violation(Words.violation(found, fix(missing)));
    }

    /** The serving containers, in pod spec order, that have no readiness probe. */
    private static List<Container> withoutProbe(HasMetadata workload, RuleContext context) {
        PodSpec spec = Workloads.podSpec(workload, context.workloadKind()).map(Workloads.Located::value).orElse(null);
        if (spec == null) {
            return List.of();
        }
        Stream<Container> sidecars = Objects.requireNonNullElse(spec.getInitContainers(), List.<Container>of()).stream()
                .filter(c -> "Always".equals(c.getRestartPolicy()));
        return Stream.concat(sidecars, Objects.requireNonNullElse(spec.getContainers(), List.<Container>of()).stream())
                .filter(c -> c.getReadinessProbe() == null).toList();
    }

    private static String names(List<Container> containers) {
        List<String> names = new ArrayList<>();
        containers.forEach(c -> names.add(c.getName()));
        return Words.names(names.size() == 1, String.join(", ", names));
    }

    private static String fix(List<Container> missing) {
        List<String> parts = new ArrayList<>();
        for (Container c : missing) {
            Integer port = c.getPorts() == null || c.getPorts().isEmpty() ? null : c.getPorts().get(0).getContainerPort();
            parts.add(Words.container(c.getName(), port == null ? null : String.valueOf(port)));
        }
        return Words.fix(String.join(Words.SEPARATOR, parts));
    }
}
