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

/** The built cases of the backstop proof: what no recording covers, rule by rule. */
final class BuiltCases {

    /** A pod template, as the API server requires of every workload. */
    private static final io.fabric8.kubernetes.api.model.PodTemplateSpec TEMPLATE = new io.fabric8.kubernetes.api.model
            .PodTemplateSpecBuilder().withNewSpec().addNewContainer().withName("c").withImage("c:1").endContainer()
            .endSpec().build();

    private static final String DIGEST = "sha256:" + "a1b2c3d4".repeat(8);

    static Pod pod(String ns, String image) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace(ns).endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage(image).endContainer().endSpec().build();
    }

    private static Admission as(Admission a, String user, List<String> groups) {
        return new Admission(a.uid(), a.operation(), a.type(), a.namespace(), a.name(), a.dryRun(),
                new Admission.User(user, groups), a.object(), a.oldObject());
    }

    private BuiltCases() {
    }

    /** Every recorded validating fixture, then the built cases, then the real repositories' workloads. */
    static List<Case> all() throws IOException {
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
                cases.add(new Case("scale " + was + " to " + n, Case.scale(was, n), Map.of()));
                cases.add(new Case("rc " + was + " to " + n, Admissions.update(Case.rc(was, TEMPLATE),
                        Case.rc(n, TEMPLATE)), Map.of()));
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
        cases.add(Case.scaled("scale of a deployment an HPA scales, by hand", Case.scale(3, 1), Map.of("shop/Deployment/web",
                "web")));
        cases.add(Case.scaled("replicaset at 1 that an HPA targets", Admissions.create(new io.fabric8.kubernetes.api.model
                .apps.ReplicaSetBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(1).withTemplate(TEMPLATE).endSpec().build()), Map.of("shop/ReplicaSet/web",
                "web")));
        workloads(cases, old);
        cases.addAll(RealWorldCases.all());
        return cases;
    }

    /** Probes, Rollouts, immutable objects and ephemeral containers. */
    private static void workloads(List<Case> cases, Pod old) {
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
    }

    private static io.fabric8.kubernetes.api.model.GenericKubernetesResource generic(String yaml) {
        return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml,
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
    }

}
