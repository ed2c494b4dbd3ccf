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

/**
 * The proof that the generated CEL says what the engine says: every shipped policy, turned into
 * ValidatingAdmissionPolicies, evaluated with cel-java (dev.cel:cel, standard CEL only, which Kubernetes' CEL
 * includes) on every recorded validating fixture and on the cases below, must deny, warn, audit or admit exactly as
 * the engine's imageReferences rule does. Any disagreement fails the build.
 */
class BackstopMatchesEngineTest {

    /** The rules the backstop expresses: those with a part in it. */
    private static final List<String> RULES = StandardRules.DEFAULT.rules().stream()
            .filter(r -> r instanceof dev.haguard.cel.CelBackstop).map(dev.haguard.engine.Rule::name).toList();

    /** A pod template, as the API server requires of every workload. */
    private static final io.fabric8.kubernetes.api.model.PodTemplateSpec TEMPLATE = new io.fabric8.kubernetes.api.model
            .PodTemplateSpecBuilder().withNewSpec().addNewContainer().withName("c").withImage("c:1").endContainer()
            .endSpec().build();

    private static final String DIGEST = "sha256:" + "a1b2c3d4".repeat(8);

    /** One request, with the labels of its namespace, and the review as recorded (null for a built one). */
    private record Case(String what, Admission admission, Map<String, String> namespaceLabels,
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
    }

    private static Pod pod(String ns, String image) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace(ns).endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage(image).endContainer().endSpec().build();
    }

    private static Admission as(Admission a, String user, List<String> groups) {
        return new Admission(a.uid(), a.operation(), a.type(), a.namespace(), a.name(), a.dryRun(),
                new Admission.User(user, groups), a.object(), a.oldObject());
    }

    private static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/admission"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".validating.json")).sorted().toList()) {
                String name = f.getFileName().toString();
                cases.add(new Case(name, Fixtures.admission(name), Map.of(), Fixtures.review(name)));
            }
        }
        List<String> images = List.of("nginx", "nginx:latest", "nginx:1.27", "registry:5000/nginx",
                "registry:5000/nginx:1.2", "nginx@" + DIGEST, "nginx:latest@" + DIGEST, "nginx@sha256:short", ":1.0",
                "", "nginx:", "a/b:c/d", "@" + DIGEST, ":x/y:1", "repo/app:v1.0.0-rc1");
        for (String ns : List.of("shop", "sandbox-1", "kube-system", "rehearsal")) {
            Map<String, String> labels = ns.equals("rehearsal") ? Map.of("haguard.dev/stage", "rehearsal") : Map.of();
            for (String image : images) {
                cases.add(new Case("pod " + ns + " " + image, Admissions.create(pod(ns, image)), labels));
            }
        }
        Pod old = pod("shop", "nginx:latest");
        cases.add(new Case("update keeps :latest", Admissions.update(old, pod("shop", "nginx:latest")), Map.of()));
        Pod added = new PodBuilder(pod("shop", "nginx:latest")).editSpec().addNewContainer().withName("side")
                .withImage("busybox").endContainer().endSpec().build();
        cases.add(new Case("update adds busybox", Admissions.update(old, added), Map.of()));
        Pod owned = new PodBuilder(pod("shop", "nginx")).editMetadata().withOwnerReferences(new OwnerReferenceBuilder()
                .withKind("ReplicaSet").withName("rs").withController(true).build()).endMetadata().build();
        cases.add(new Case("pod of a ReplicaSet", Admissions.create(owned), Map.of()));
        Pod labelled = new PodBuilder(pod("scratch", "nginx")).editMetadata().addToLabels("haguard.dev/exempt", "true")
                .endMetadata().build();
        cases.add(new Case("exempt label in scratch", Admissions.create(labelled), Map.of()));
        cases.add(new Case("break-glass group", as(Admissions.create(pod("shop", "nginx")), "ops",
                List.of("platform-breakglass")), Map.of()));
        HasMetadata deployment = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop")
                .endMetadata().withNewSpec().withNewTemplate().withNewSpec().addNewInitContainer().withName("init")
                .withImage("busybox:latest").endInitContainer().addNewContainer().withName("web").withImage("web:1.0")
                .endContainer().endSpec().endTemplate().endSpec().build();
        cases.add(new Case("deployment with a :latest init container", Admissions.create(deployment), Map.of()));
        var crowded = new DeploymentBuilder().withNewMetadata().withName("monolith").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(3).withNewTemplate().withNewSpec().endSpec().endTemplate().endSpec();
        for (int i = 0; i < 30; i++) {
            crowded.editSpec().editTemplate().editSpec().addNewContainer().withName("part-" + i)
                    .withImage("registry.example.com/monolith/part-" + i).endContainer().endSpec().endTemplate().endSpec();
        }
        cases.add(new Case("deployment with 30 untagged containers (messages over 5 KiB)",
                Admissions.create(crowded.build()), Map.of()));
        HasMetadata cron = new CronJobBuilder().withNewMetadata().withName("nightly").withNamespace("shop").endMetadata()
                .withNewSpec().withSchedule("0 2 * * *").withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec()
                .addNewContainer().withName("job").withImage("tool").endContainer().endSpec().endTemplate().endSpec()
                .endJobTemplate().endSpec().build();
        cases.add(new Case("cronjob without a tag", Admissions.create(cron), Map.of()));
        for (Integer n : new Integer[] {null, 0, 1, 2, 3}) {
            cases.add(new Case("deployment replicas " + n, Admissions.create(new DeploymentBuilder().withNewMetadata()
                    .withName("d").withNamespace("shop").endMetadata().withNewSpec().withReplicas(n).withNewTemplate()
                    .withNewSpec().addNewContainer().withName("c").withImage("c:1").endContainer().endSpec().endTemplate()
                    .endSpec().build()), Map.of()));
            cases.add(new Case("statefulset replicas " + n, Admissions.create(new io.fabric8.kubernetes.api.model.apps
                    .StatefulSetBuilder().withNewMetadata().withName("s").withNamespace("sandbox-2").endMetadata()
                    .withNewSpec().withReplicas(n).withTemplate(TEMPLATE).endSpec().build()), Map.of()));
            cases.add(new Case("hpa minReplicas " + n, Admissions.create(new io.fabric8.kubernetes.api.model.autoscaling
                    .v2.HorizontalPodAutoscalerBuilder().withNewMetadata().withName("h").withNamespace("shop").endMetadata()
                    .withNewSpec().withMinReplicas(n).withMaxReplicas(5).endSpec().build()), Map.of()));
            for (Integer was : new Integer[] {1, 3}) {
                cases.add(new Case("scale " + was + " to " + n, scale(was, n), Map.of()));
                cases.add(new Case("rc " + was + " to " + n, Admissions.update(rc(was), rc(n)), Map.of()));
            }
        }
        var claimed = new DeploymentBuilder().withNewMetadata().withName("files").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(1).withNewTemplate().withNewSpec().addNewContainer().withName("c")
                .withImage("c:1").endContainer().addNewVolume().withName("a").withNewPersistentVolumeClaim()
                .withClaimName("uploads").endPersistentVolumeClaim().endVolume().addNewVolume().withName("b")
                .withNewPersistentVolumeClaim().withClaimName("cache").endPersistentVolumeClaim().endVolume().endSpec()
                .endTemplate().endSpec().build();
        cases.add(new Case("deployment at 1 sharing two claims", Admissions.create(claimed), Map.of()));
        cases.add(new Case("deployment at 1 running postgres", Admissions.create(new DeploymentBuilder(claimed)
                .editSpec().editTemplate().editSpec().withVolumes().editFirstContainer()
                .withImage("docker.io/library/postgres:16@" + DIGEST).endContainer().endSpec().endTemplate().endSpec()
                .build()), Map.of()));
        for (List<String> run : List.of(List.of("quay.io/prometheus-operator/prometheus-operator:v0.79.2"),
                List.of("registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.14.0", "--port=8080"),
                List.of("registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.14.0", "--total-shards=2"),
                List.of("example.com/controller:1.0", "--metrics-port=8080", "--leader-elect=false"),
                List.of("example.com/controller:1.0", "--leader-elect=true"))) {
            cases.add(new Case("deployment at 1 running " + run, Admissions.create(new DeploymentBuilder()
                    .withNewMetadata().withName("ctl").withNamespace("shop").endMetadata().withNewSpec().withReplicas(1)
                    .withNewTemplate().withNewSpec().addNewContainer().withName("sidecar").withImage("proxy:1")
                    .endContainer().addNewContainer().withName("ctl").withImage(run.get(0))
                    .withArgs(run.subList(1, run.size())).endContainer().endSpec().endTemplate().endSpec().build()),
                    Map.of()));
        }
        cases.add(new Case("statefulset at 1 with claim templates", Admissions.create(new io.fabric8.kubernetes.api
                .model.apps.StatefulSetBuilder().withNewMetadata().withName("db").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(1).withTemplate(TEMPLATE).addNewVolumeClaimTemplate().withNewMetadata()
                .withName("data").endMetadata().endVolumeClaimTemplate().endSpec().build()), Map.of()));
        cases.add(new Case("statefulset at 1 running registry:5000/Redis", Admissions.create(new io.fabric8.kubernetes
                .api.model.apps.StatefulSetBuilder().withNewMetadata().withGenerateName("cache-").withNamespace("shop")
                .endMetadata().withNewSpec().withReplicas(1).withNewTemplate().withNewSpec().addNewContainer()
                .withName("r").withImage("registry:5000/Redis:7").endContainer().endSpec().endTemplate().endSpec()
                .build()), Map.of()));
        for (String ns : List.of("shop", "ha-guard", "kube-system")) {
            var one = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(ns).endMetadata()
                    .withNewSpec().withReplicas(1).withTemplate(TEMPLATE).endSpec().build();
            cases.add(new Case("deployment at 1 in " + ns, Admissions.create(one), Map.of()));
            cases.add(Case.scaled("deployment at 1 in " + ns + " that an HPA scales", Admissions.create(one),
                    Map.of(ns + "/Deployment/web", "web")));
            cases.add(Case.scaled("deployment at 1 in " + ns + " while an HPA scales another", Admissions.create(one),
                    Map.of(ns + "/Deployment/api", "api", ns + "/StatefulSet/web", "web")));
        }
        cases.add(Case.scaled("scale of a deployment an HPA scales, by hand", scale(3, 1), Map.of("shop/Deployment/web",
                "web")));
        cases.add(Case.scaled("replicaset at 1 that an HPA targets", Admissions.create(new io.fabric8.kubernetes.api.model
                .apps.ReplicaSetBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(1).withTemplate(TEMPLATE).endSpec().build()), Map.of("shop/ReplicaSet/web",
                "web")));
        // readinessProbes: one probe gates a pod; the fix picks the container to probe, never a shell script's port.
        var unprobed = new DeploymentBuilder().withNewMetadata().withName("shop-api").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(3).withNewTemplate().withNewSpec().addNewInitContainer().withName("proxy")
                .withImage("proxy:1").withRestartPolicy("Always").endInitContainer().addNewInitContainer()
                .withName("migrate").withImage("migrate:1").endInitContainer().addNewContainer().withName("backup")
                .withImage("backup:1").withCommand("/bin/bash", "-c", "exec ncat --listen 3307 -c backup").addNewPort()
                .withContainerPort(3307).endPort().endContainer().addNewContainer().withName("api").withImage("api:1")
                .addNewPort().withContainerPort(8080).endPort().endContainer().endSpec().endTemplate().endSpec().build();
        var shellOnly = new DeploymentBuilder(unprobed).editSpec().editTemplate().editSpec().withContainers(
                unprobed.getSpec().getTemplate().getSpec().getContainers().get(0)).endSpec().endTemplate().endSpec()
                .build();
        var noPorts = new DeploymentBuilder(unprobed).editSpec().editTemplate().editSpec().withContainers(new io.fabric8
                .kubernetes.api.model.ContainerBuilder().withName("worker").withImage("worker:1").build()).endSpec()
                .endTemplate().endSpec().build();
        var probedSidecar = new DeploymentBuilder(unprobed).editSpec().editTemplate().editSpec().editFirstInitContainer()
                .withNewReadinessProbe().withNewTcpSocket().withNewPort(15021).endTcpSocket().endReadinessProbe()
                .endInitContainer().endSpec().endTemplate().endSpec().build();
        cases.add(new Case("deployment at 3: no container probed, a shell script on a port", Admissions.create(unprobed),
                Map.of()));
        cases.add(new Case("deployment at 3: only a shell script with a port", Admissions.create(shellOnly), Map.of()));
        cases.add(new Case("deployment at 3: a container without ports", Admissions.create(noPorts), Map.of()));
        cases.add(new Case("deployment at 3: only the sidecar probed", Admissions.create(probedSidecar), Map.of()));
        cases.add(new Case("deployment at 3: still no probe, scaled", Admissions.update(unprobed,
                new DeploymentBuilder(unprobed).editSpec().withReplicas(4).endSpec().build()), Map.of()));
        cases.add(new Case("deployment at 3: its only probe removed", Admissions.update(probedSidecar, unprobed),
                Map.of()));
        // Argo Rollouts, a workload kind policies/argo-rollouts.yaml names (the other policies leave them alone).
        String rollout = """
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: REPLICAS
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: "IMAGE", ports: [{containerPort: 8080}]}]
                """;
        for (String replicas : List.of("1", "3")) {
            for (String image : List.of("nginx:latest", "nginx:1.27")) {
                cases.add(new Case("rollout at " + replicas + " running " + image, Admissions.create(generic(rollout
                        .replace("REPLICAS", replicas).replace("IMAGE", image))), Map.of()));
            }
        }
        var scaledRollout = generic(rollout.replace("REPLICAS", "1").replace("IMAGE", "nginx:1.27"));
        cases.add(Case.scaled("rollout at 1 that an HPA scales", Admissions.create(scaledRollout),
                Map.of("shop/Rollout/web", "web-hpa")));
        cases.add(new Case("rollout: the same containers without probes, scaled", Admissions.update(generic(rollout
                .replace("REPLICAS", "3").replace("IMAGE", "nginx:1.27")), generic(rollout.replace("REPLICAS", "4")
                .replace("IMAGE", "nginx:1.27"))), Map.of()));
        var byReference = generic("""
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata: {name: ref, namespace: shop}
                spec:
                  replicas: 3
                  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                """);
        cases.add(new Case("rollout at 3 with a workloadRef and no template", Admissions.create(byReference), Map.of()));
        cases.add(new Case("rollout: a template added to one with a workloadRef", Admissions.update(byReference,
                generic(rollout.replace("REPLICAS", "3").replace("IMAGE", "nginx:latest").replace("name: web,",
                        "name: ref,"))), Map.of()));
        cases.addAll(realWorld());
        var rs = new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder().withNewMetadata().withName("rs")
                .withNamespace("shop").endMetadata().withNewSpec().withReplicas(1).withTemplate(TEMPLATE).endSpec().build();
        cases.add(new Case("bare replicaset at 1", Admissions.create(rs), Map.of()));
        cases.add(new Case("replicaset of a deployment at 1", Admissions.create(new io.fabric8.kubernetes.api.model.apps
                .ReplicaSetBuilder(rs).editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withKind("Deployment")
                .withName("d").withController(true).build()).endMetadata().build()), Map.of()));
        Pod gated = new PodBuilder(old).editSpec().addNewSchedulingGate().withName("example.com/wait").endSchedulingGate()
                .endSpec().build();
        cases.add(new Case("pod: a scheduling gate removed", Admissions.update(gated, old), Map.of()));
        cases.add(new Case("pod: image changed in place", Admissions.update(old, pod("shop", "nginx:1.27")), Map.of()));
        cases.add(new Case("pod: a label changed", Admissions.update(old, new PodBuilder(old).editMetadata()
                .addToLabels("x", "y").endMetadata().build()), Map.of()));
        cases.add(new Case("pod: a toleration added", Admissions.update(old, new PodBuilder(old).editSpec()
                .addNewToleration().withKey("k").withOperator("Exists").endToleration().endSpec().build()), Map.of()));
        var cm = new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("settings")
                .withNamespace("shop").addToLabels("haguard.dev/immutable", "true").endMetadata()
                .addToData("LOG_LEVEL", "info").build();
        cases.add(new Case("immutable ConfigMap: data changed", Admissions.update(cm, new io.fabric8.kubernetes.api.model
                .ConfigMapBuilder(cm).addToData("LOG_LEVEL", "debug").build()), Map.of()));
        cases.add(new Case("immutable ConfigMap: an allowed annotation", Admissions.update(cm, new io.fabric8.kubernetes
                .api.model.ConfigMapBuilder(cm).editMetadata().addToAnnotations("deployment.kubernetes.io/revision", "2")
                .endMetadata().build()), Map.of()));
        cases.add(new Case("immutable ConfigMap: another annotation", Admissions.update(cm, new io.fabric8.kubernetes
                .api.model.ConfigMapBuilder(cm).editMetadata().addToAnnotations("note", "x").endMetadata().build()),
                Map.of()));
        cases.add(new Case("immutable ConfigMap: the marker removed", Admissions.update(cm, new io.fabric8.kubernetes
                .api.model.ConfigMapBuilder(cm).editMetadata().removeFromLabels("haguard.dev/immutable").endMetadata()
                .build()), Map.of()));
        var marked = new DeploymentBuilder().withNewMetadata().withName("api").withNamespace("shop")
                .addToLabels("haguard.dev/immutable", "true").endMetadata().withNewSpec().withReplicas(2).withNewTemplate()
                .withNewSpec().addNewContainer().withName("api").withImage("api:1.0").endContainer().endSpec()
                .endTemplate().endSpec().build();
        cases.add(new Case("immutable Deployment: scaled", Admissions.update(marked, new DeploymentBuilder(marked)
                .editSpec().withReplicas(4).endSpec().build()), Map.of()));
        cases.add(new Case("immutable Deployment: image changed", Admissions.update(marked, new DeploymentBuilder(marked)
                .editSpec().editTemplate().editSpec().editFirstContainer().withImage("api:1.1").endContainer().endSpec()
                .endTemplate().endSpec().build()), Map.of()));
        cases.add(new Case("ephemeral container", Admissions.of(Operation.UPDATE, new PodBuilder(old).editSpec()
                .addNewEphemeralContainer().withName("debug").withImage("busybox").endEphemeralContainer().endSpec()
                .build(), old, "ephemeralcontainers"), Map.of()));
        return cases;
    }

    /** Kinds some rule the backstop expresses judges at CREATE. */
    private static final java.util.Set<String> JUDGED = java.util.Set.of("Pod", "Deployment", "StatefulSet",
            "ReplicaSet", "DaemonSet", "Job", "CronJob", "ReplicationController", "HorizontalPodAutoscaler");

    /**
     * Every workload in the real repositories' manifests (src/test/resources/realworld, from ../shared) as a CREATE:
     * once alone, and once with the HPAs its repository declares scaling their targets.
     */
    private static List<Case> realWorld() throws IOException {
        List<Case> out = new ArrayList<>();
        Path root = Path.of("src/test/resources/realworld");
        try (Stream<Path> repos = Files.list(root)) {
            for (Path repo : repos.filter(Files::isDirectory).sorted().toList()) {
                List<HasMetadata> objects = new ArrayList<>();
                try (Stream<Path> files = Files.walk(repo)) {
                    for (Path f : files.filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted().toList()) {
                        objects.addAll(objects(f));
                    }
                }
                Map<String, String> hpas = new java.util.HashMap<>();
                objects.stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.autoscaling.v2
                        .HorizontalPodAutoscaler).map(o -> (io.fabric8.kubernetes.api.model.autoscaling.v2
                                .HorizontalPodAutoscaler) o).filter(h -> h.getSpec().getScaleTargetRef() != null)
                        .forEach(h -> hpas.merge((h.getMetadata().getNamespace() == null ? "team"
                                : h.getMetadata().getNamespace()) + "/" + h.getSpec().getScaleTargetRef().getKind() + "/"
                                + h.getSpec().getScaleTargetRef().getName(), h.getMetadata().getName(),
                                (a, b) -> String.join(",", new java.util.TreeSet<>(List.of((a + "," + b).split(","))))));
                for (HasMetadata o : objects) {
                    String what = root.relativize(repo) + " " + o.getKind() + " " + o.getMetadata().getName();
                    out.add(new Case(what, Admissions.create(o), Map.of()));
                    if (!hpas.isEmpty()) {
                        out.add(Case.scaled(what + " with its repository's HPAs", Admissions.create(o), hpas));
                    }
                }
            }
        }
        return out;
    }

    /** The judged objects in one file; documents that are no Kubernetes object (Helm templates, app config) skipped. */
    private static List<HasMetadata> objects(Path file) {
        List<HasMetadata> out = new ArrayList<>();
        try (var docs = new YAMLMapper().readerFor(com.fasterxml.jackson.databind.JsonNode.class)
                .<com.fasterxml.jackson.databind.JsonNode>readValues(file.toFile())) {
            while (docs.hasNext()) {
                var doc = docs.next();
                if (doc != null && JUDGED.contains(doc.path("kind").asText()) && doc.path("metadata").has("name")) {
                    out.add(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(doc.toString(), HasMetadata.class));
                }
            }
        } catch (RuntimeException | IOException e) {
            // not YAML Kubernetes reads as objects: what check and scan say of it is their tests' business
        }
        return out;
    }

    private static io.fabric8.kubernetes.api.model.GenericKubernetesResource generic(String yaml) {
        return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml,
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
    }

    private static io.fabric8.kubernetes.api.model.ReplicationController rc(Integer replicas) {
        return new io.fabric8.kubernetes.api.model.ReplicationControllerBuilder().withNewMetadata().withName("rc")
                .withNamespace("rehearsal").endMetadata().withNewSpec().withReplicas(replicas).withTemplate(TEMPLATE)
                .endSpec().build();
    }

    private static Admission scale(Integer old, Integer now) {
        var before = new io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder().withNewMetadata().withName("web")
                .withNamespace("shop").endMetadata().withNewSpec().withReplicas(old).endSpec().build();
        var after = new io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder(before).editSpec().withReplicas(now)
                .endSpec().build();
        return new Admission("uid-scale", Operation.UPDATE, new Admission.Target("apps", "v1", "Scale", "deployments",
                "scale"), "shop", "web", false, new Admission.User("alice", List.of("system:authenticated")), after, before);
    }

    /** What the engine said about one rule: its outcome as a binding action, and the words the webhook sends. */
    private record Said(String action, String words) {
    }

    /** The namespaces deploy/base/webhooks.yaml never sends to the validating webhook. */
    private static final List<String> UNSENT = unsent();

    private static List<String> unsent() {
        List<String> out = new ArrayList<>();
        DeployedWebhooks.named("validate.ha-guard.dev").path("namespaceSelector").path("matchExpressions").get(0)
                .path("values").forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Optional<Said> engine(Case c, Policy policy, String ruleName) {
        if (UNSENT.contains(c.admission().namespace())) {
            return Optional.empty(); // the webhook is never asked
        }
        ClusterView cluster = new ClusterView() {
            @Override
            public Map<String, String> namespaceLabels(String namespace) {
                return c.namespaceLabels();
            }

            @Override
            public Optional<String> autoscaler(String namespace, String kind, String name) {
                return autoscalers(namespace, kind, name).stream().findFirst();
            }

            @Override
            public List<String> autoscalers(String namespace, String kind, String name) {
                String names = c.autoscaled().get(namespace + "/" + kind + "/" + name);
                return names == null ? List.of() : List.of(names.split(","));
            }
        };
        Decision d = StandardRules.DEFAULT.engine().decide(c.admission(), policy, Webhook.VALIDATE, cluster);
        RuleDecision rule = d.rules().stream().filter(r -> r.rule().equals(ruleName)).findFirst().orElseThrow();
        if (d.breakGlass()) {
            return Optional.empty(); // the backstop leaves break-glass users out entirely
        }
        String warning = d.warnings().stream().filter(w -> w.startsWith("ha-guard [" + ruleName + "]: ")).findFirst()
                .orElse(null);
        return switch (rule.outcome()) {
            case DENY -> Optional.of(new Said("Deny", d.message()));
            case WARN -> Optional.of(new Said("Warn", warning));
            case AUDIT -> Optional.of(new Said("Audit", null));
            default -> Optional.empty();
        };
    }

    /**
     * Whether the backstop's words are the webhook's: the same text where the webhook's denial is this rule's alone or
     * a warning; where other rules deny too, the webhook's text holds this rule's part. immutablePods and
     * immutableObjects list what changed at the depth CEL can compare (top-level keys) where the webhook gives full
     * paths: that list may differ, the rest may not.
     */
    static boolean sameWords(String rule, String webhook, String backstop) {
        if (webhook == null) {
            return true; // audited: the API server's audit log, no words to a user
        }
        String alone = alone(rule, webhook);
        if (CelPolicies.overLimit(alone)) { // the API server shows the static message: the rule's general form
            return backstop.endsWith(Backstop.CUT_SHORT) && (backstop.startsWith("ha-guard denied this request: ["
                    + rule + "] ") || backstop.startsWith("ha-guard [" + rule + "]: "));
        }
        if (rule.startsWith("immutable")) {
            String list = rule.equals("immutablePods") ? "in place \\([^)]*\\)"
                    : "this request changes .*?(?=( \\(removing|\\. Immutable))";
            return alone.replaceAll(list, "#").equals(backstop.replaceAll(list, "#"));
        }
        return alone.equals(backstop);
    }

    /** The webhook's denial as it would read had {@code rule} alone denied: "ha-guard denied X: [rule] ...". */
    private static String alone(String rule, String webhook) {
        int start = webhook.indexOf("[" + rule + "] ");
        if (!webhook.startsWith("ha-guard denied ") || start < 0) {
            return webhook;
        }
        Matcher next = Pattern.compile(" \\[[a-zA-Z]+\\] ").matcher(webhook);
        int end = next.find(start + rule.length() + 2) ? next.start() : webhook.length();
        return webhook.substring(0, webhook.indexOf(": [") + 2) + webhook.substring(start, end);
    }

    @Test
    void every_shipped_policy_says_in_cel_what_the_engine_says() throws Exception {
        List<String> disagreements = new ArrayList<>();
        int compared = 0;
        int violations = 0;
        int overLimit = 0;
        try (Stream<Path> files = Files.list(Path.of("policies"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Policy policy = StandardRules.DEFAULT.parser().parse(file);
                CelPolicies cel = new CelPolicies(Backstop.of(policy, Backstop.NAMESPACE, dev.haguard.rules.StandardRules.DEFAULT.rules()).objects());
                for (Case c : cases()) {
                    Map<String, CelPolicies.Verdict> failed = c.evaluate(cel, policy);
                    for (String rule : RULES) {
                        Optional<Said> said = engine(c, policy, rule);
                        Optional<String> expected = said.map(Said::action);
                        Optional<CelPolicies.Verdict> actual = CelPolicies.only(failed.entrySet().stream()
                                .filter(e -> e.getKey().startsWith("ha-guard-" + rule.toLowerCase(java.util.Locale.ROOT)
                                        + "-")).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                                                Map.Entry::getValue)));
                        compared++;
                        if (expected.isPresent()) {
                            violations++;
                        }
                        if (said.map(Said::words).filter(w -> CelPolicies.overLimit(alone(rule, w))).isPresent()) {
                            overLimit++;
                        }
                        if (!expected.equals(actual.map(CelPolicies.Verdict::action))) {
                            disagreements.add(file.getFileName() + " / " + c.what() + " / " + rule + ": engine "
                                    + expected.orElse("admit") + ", CEL " + actual.map(v -> v.action() + " ("
                                    + v.message() + ")").orElse("admit"));
                        } else if (said.isPresent() && !sameWords(rule, said.get().words(), actual.get().message())) {
                            disagreements.add(file.getFileName() + " / " + c.what() + " / " + rule + ": other words\n"
                                    + "  webhook:  " + said.get().words() + "\n  backstop: " + actual.get().message());
                        }
                    }
                }
            }
        }
        System.out.printf("backstop vs engine: %d comparisons, %d violations (%d over the API server's 5 KiB for a "
                + "message), %d disagreements%n", compared, violations, overLimit, disagreements.size());
        assertThat(RULES).containsExactlyInAnyOrder("imageReferences", "minReplicas", "immutablePods",
                "immutableObjects", "readinessProbes");
        assertThat(violations).as("the cases exercise violations").isGreaterThan(200);
        assertThat(overLimit).as("the cases exercise the static message").isPositive();
        assertThat(disagreements).isEmpty();
    }

    @Test
    void the_backstop_leaves_out_the_namespaces_the_webhook_is_never_sent() {
        assertThat(Backstop.unsent(Backstop.NAMESPACE)).containsExactlyInAnyOrderElementsOf(UNSENT);
    }

    @Test
    void a_denial_names_the_image_and_the_fix() throws Exception {
        CelPolicies cel = new CelPolicies(Backstop.of(Policies.DEFAULT, Backstop.NAMESPACE, dev.haguard.rules.StandardRules.DEFAULT.rules()).objects());

        var verdicts = cel.evaluate(Admissions.create(pod("shop", "nginx:latest")), Map.of());
        var verdict = CelPolicies.only(verdicts.entrySet().stream().filter(e -> e.getKey().startsWith(
                "ha-guard-imagereferences-")).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        Map.Entry::getValue)));

        assertThat(verdict).hasValueSatisfying(v -> {
            assertThat(v.action()).isEqualTo("Deny");
            assertThat(v.message()).contains("imageReferences", "\"nginx:latest\"", "fix: use a fixed version tag");
        });
        assertThat(verdicts).as("a bare pod is told nothing re-creates it").hasEntrySatisfying(
                "ha-guard-minreplicas-kept-bare-pods-defaults", v -> assertThat(v.message()).contains("has no controller"));
        assertThat(Backstop.of(Policies.DEFAULT, Backstop.NAMESPACE, dev.haguard.rules.StandardRules.DEFAULT.rules()).notExpressed()).anySatisfy(n -> assertThat(n).contains("HPA"));
        var scaled = CelPolicies.only(cel.evaluate(scale(3, 1), Map.of()));
        assertThat(scaled).hasValueSatisfying(v -> assertThat(v.message()).contains("minReplicas",
                "replicas is 1, below the minimum of 2", "kubectl scale deployment web -n shop --replicas=2"));
    }
}
