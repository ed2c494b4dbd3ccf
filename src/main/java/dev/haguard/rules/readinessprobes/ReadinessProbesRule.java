package dev.haguard.rules.readinessprobes;

import java.util.Set;
import dev.haguard.engine.ClusterView;
import dev.haguard.rules.common.ApiKinds;
import dev.haguard.engine.ApiKind;
import dev.haguard.cel.CelBackstop;
import dev.haguard.cel.CelScope;
import dev.haguard.cel.ValidatingPolicies;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Pods that share traffic say when they can take it: with two or more replicas, a rolling update without readiness
 * probes sends requests to pods that have started but cannot answer yet, and a pod that hangs keeps receiving them.
 * A pod is ready when each of its containers that has a readinessProbe is, so one probe on the container that serves
 * gates the pod: the rule asks for one where no serving container (sidecars, that is init containers with
 * restartPolicy: Always, and containers) has any, never for one on every container. The fix names the container to
 * probe, and never a port whose container a shell script runs (a connection might set off its work).
 */
public final class ReadinessProbesRule implements Rule<SimpleRuleConfig>,
        CelBackstop<SimpleRuleConfig> {

    /** Its key in the policy, its settings and the settings where a policy says nothing. */
    public static final RuleSettings<SimpleRuleConfig> SETTINGS =
            RuleSettings.of("readinessProbes", SimpleRuleConfig.class, new SimpleRuleConfig(Mode.WARN));

    @Override
    public void addTo(CelScope scope, SimpleRuleConfig config, ValidatingPolicies out) {
        ReadinessProbesCel.addTo(scope, config, out);
    }

    @Override
    public List<ApiKind> judges() {
        return List.of(ApiKinds.DEPLOYMENT, ApiKinds.STATEFUL_SET, ApiKinds.REPLICATION_CONTROLLER);
    }

    @Override
    public Set<ClusterView.Need> clusterNeeds() {
        return Set.of(ClusterView.Need.AUTOSCALERS);
    }

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
        PodSpec spec = podSpec(workload, context);
        List<Container> serving = serving(spec);
        if (serving.isEmpty() || serving.stream().anyMatch(c -> c.getReadinessProbe() != null)) {
            return Finding.pass(); // a pod is ready once each container with a probe is: one probe gates it
        }
        String found = ReadinessProbesWords.found(autoscaler.map(ReadinessProbesWords::scaledBy).orElse(ReadinessProbesWords.runs(String.valueOf(replicas))),
                String.join(", ", serving.stream().map(Container::getName).toList()));
        String fix = ReadinessProbesWords.fix(advice(spec));
        if (a.isUpdate() && a.oldObject() != null && !serving(podSpec(a.oldObject(), context)).isEmpty()
                && serving(podSpec(a.oldObject(), context)).stream().allMatch(c -> c.getReadinessProbe() == null)) {
            return Finding.notice(ReadinessProbesWords.notice(found, fix));
        }
        return Finding.violation(ReadinessProbesWords.violation(found, fix));
    }

    private static PodSpec podSpec(HasMetadata workload, RuleContext context) {
        return Workloads.podSpec(workload, context.workloadKind()).map(Workloads.Located::value).orElse(null);
    }

    /** The containers that serve, in pod spec order: sidecars (init containers with restartPolicy Always), then the rest. */
    private static List<Container> serving(PodSpec spec) {
        if (spec == null) {
            return List.of();
        }
        Stream<Container> sidecars = Objects.requireNonNullElse(spec.getInitContainers(), List.<Container>of()).stream()
                .filter(c -> "Always".equals(c.getRestartPolicy()));
        return Stream.concat(sidecars, containers(spec).stream()).toList();
    }

    private static List<Container> containers(PodSpec spec) {
        return Objects.requireNonNullElse(spec.getContainers(), List.of());
    }

    /**
     * Which container to probe, and how: the first container with a port that no shell script runs, on that port;
     * else the first container, with a command (a shell script's port may set off its work when connected to).
     */
    private static String advice(PodSpec spec) {
        for (Container c : containers(spec)) {
            if (port(c) != null && !shell(c)) {
                return ReadinessProbesWords.onPort(c.getName(), String.valueOf(port(c)));
            }
        }
        Container first = containers(spec).isEmpty() ? serving(spec).get(0) : containers(spec).get(0);
        return port(first) != null ? ReadinessProbesWords.shell(first.getName()) : ReadinessProbesWords.noPort(first.getName());
    }

    private static Integer port(Container c) {
        return c.getPorts() == null || c.getPorts().isEmpty() ? null : c.getPorts().get(0).getContainerPort();
    }

    /** Whether a shell runs the container's command line: what it does on a connection cannot be known. */
    static boolean shell(Container c) {
        if (c.getCommand() == null || c.getCommand().isEmpty() || c.getCommand().get(0) == null) {
            return false;
        }
        String program = c.getCommand().get(0);
        return program.substring(program.lastIndexOf('/') + 1).matches(ReadinessProbesWords.SHELLS);
    }
}
