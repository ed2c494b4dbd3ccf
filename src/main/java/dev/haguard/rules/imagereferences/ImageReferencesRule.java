package dev.haguard.rules.imagereferences;

import dev.haguard.rules.common.ApiKinds;
import dev.haguard.engine.ApiKind;
import dev.haguard.cel.CelBackstop;
import dev.haguard.cel.CelScope;
import dev.haguard.cel.ValidatingPolicies;
import dev.haguard.engine.Admission;
import dev.haguard.cel.Requests;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Unjudged;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.RuleSettings;
import dev.haguard.rules.common.Workloads;
import dev.haguard.rules.common.Workloads.Located;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Image references that always mean the same bytes: no missing tag, no :latest, and optionally only digests.
 * A redeploy from a known good state must pull what was deployed, not whatever a mutable tag points at today.
 */
public final class ImageReferencesRule implements Rule<ImageReferencesConfig>,
        CelBackstop<ImageReferencesConfig> {

    /** Its key in the policy, its settings and the settings where a policy says nothing. */
    public static final RuleSettings<ImageReferencesConfig> SETTINGS =
            RuleSettings.of("imageReferences", ImageReferencesConfig.class, ImageReferencesConfig.BUILT_IN);

    /** Pods these controllers create are judged on the controller's template, not once per pod. */
    private static final Map<String, List<String>> JUDGED_ON_OWNER = Map.of(
            "Pod", List.of("ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job"),
            "ReplicaSet", List.of("Deployment"),
            "Job", List.of("CronJob"));

    @Override
    public void addTo(CelScope scope, ImageReferencesConfig config, ValidatingPolicies out) {
        ImageReferencesCel.addTo(scope, config, out);
    }

    @Override
    public List<ApiKind> judges() {
        return List.of(ApiKinds.POD, ApiKinds.DEPLOYMENT, ApiKinds.STATEFUL_SET, ApiKinds.REPLICA_SET,
                ApiKinds.REPLICATION_CONTROLLER, ApiKinds.DAEMON_SET, ApiKinds.JOB, ApiKinds.CRON_JOB);
    }

    /** Pods, ReplicaSets and Jobs their controllers make: judged on the controller, so never sent. */
    @Override
    public List<Unjudged> unjudged() {
        return List.of(onController("", "pods", "Pod"), onController("apps", "replicasets", "ReplicaSet"),
                onController("batch", "jobs", "Job"));
    }

    private static Unjudged onController(String group, String resource, String kind) {
        List<String> owners = JUDGED_ON_OWNER.get(kind);
        return new Unjudged(Webhook.VALIDATE, group, resource, Coverage.WRITES, Requests.controlledBy(owners),
                "a " + kind + " that a " + String.join(" or ", owners) + " controls is judged on its controller");
    }

    @Override
    public List<String> warmUp() {
        return List.of("deployment-update-apply-patch.validating.json");
    }

    @Override
    public RuleSettings<ImageReferencesConfig> settings() {
        return SETTINGS;
    }

    @Override
    public List<Coverage> coverage() {
        return List.of(new Coverage(Webhook.VALIDATE, "", "pods", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "", "pods/ephemeralcontainers", Coverage.UPDATE),
                new Coverage(Webhook.VALIDATE, "", "replicationcontrollers", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "apps", "deployments", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "apps", "statefulsets", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "apps", "replicasets", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "apps", "daemonsets", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "batch", "jobs", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "batch", "cronjobs", Coverage.WRITES));
    }

    @Override
    public boolean judgesWorkloadKinds() {
        return true;
    }

    @Override
    public Finding evaluate(RuleContext context, ImageReferencesConfig config) {
        Admission a = context.admission();
        var spec = Workloads.podSpec(a.object(), context.workloadKind());
        if (spec.isEmpty()) {
            return Finding.skip("no pod spec in a " + a.kind());
        }
        var owner = Workloads.controller(a.object())
                .filter(o -> JUDGED_ON_OWNER.getOrDefault(a.kind(), List.of()).contains(o.getKind()));
        if (owner.isPresent()) {
            return Finding.skip("judged on its owner, " + owner.get().getKind() + " " + owner.get().getName());
        }
        Set<String> before = a.isUpdate() ? images(a.oldObject(), context) : new HashSet<>();
        List<String> introduced = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        for (ContainerImage image : containers(spec.get())) {
            ImageReference reference = ImageReference.parse(image.image());
            String problem = reference.problem(config.requireDigest());
            if (problem != null) {
                String line = ImageReferencesWords.line(image.list(), image.name(), image.image(), problem,
                        reference.fix(config.requireDigest()));
                (before.contains(image.image()) ? existing : introduced).add(line);
            }
        }
        if (!introduced.isEmpty()) {
            return Finding.violation(ImageReferencesWords.introduced(ImageReferencesWords.join(introduced)));
        }
        if (!existing.isEmpty()) {
            return Finding.notice(ImageReferencesWords.existing(ImageReferencesWords.join(existing)));
        }
        return Finding.pass();
    }

    private static Set<String> images(HasMetadata object, RuleContext context) {
        Set<String> images = new HashSet<>();
        Workloads.podSpec(object, context.workloadKind()).ifPresent(s -> containers(s).forEach(c -> images.add(c.image())));
        return images;
    }

    private static List<ContainerImage> containers(Located<PodSpec> spec) {
        List<ContainerImage> out = new ArrayList<>();
        PodSpec s = spec.value();
        if (s.getInitContainers() != null) {
            s.getInitContainers().forEach(c -> out.add(new ContainerImage(spec.path() + ".initContainers", c.getName(), c.getImage())));
        }
        if (s.getContainers() != null) {
            s.getContainers().forEach(c -> out.add(new ContainerImage(spec.path() + ".containers", c.getName(), c.getImage())));
        }
        if (s.getEphemeralContainers() != null) {
            s.getEphemeralContainers().forEach(c -> out.add(new ContainerImage(spec.path() + ".ephemeralContainers", c.getName(), c.getImage())));
        }
        return out;
    }

    private record ContainerImage(String list, String name, String image) {
    }
}
