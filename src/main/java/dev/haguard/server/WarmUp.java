package dev.haguard.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.haguard.codec.ReviewCodec;
import dev.haguard.engine.Admission;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import dev.haguard.policy.Policy;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.GroupVersionResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs a Pod and a Deployment CREATE through decode, both webhooks and encode before the server reports ready,
 * with the engine and the policy that will serve. The first review a process reads costs about a second (fabric8
 * builds its registry of kinds, Jackson its deserializers); without this, the first requests to a fresh replica
 * wait that second, and everything queued behind them too. That decoding needs no engine, so {@link #preload}
 * does it while Quarkus boots. Nothing is audited or counted.
 */
public final class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    private static final int ROUNDS = 5;
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final CompletableFuture<String> DONE = new CompletableFuture<>();
    private static final Decision ALLOWED = new Decision(true, "", List.of(), JsonNodeFactory.instance.arrayNode(),
            List.of(), "defaults", false);

    private WarmUp() {
    }

    /** Starts the warm-up on a thread of its own; later calls do nothing. */
    static void start(AdmissionEngine engine, Policy policy) {
        if (STARTED.compareAndSet(false, true)) {
            Thread thread = new Thread(() -> DONE.complete(run(engine, policy)), "haguard-warm-up");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Decodes and encodes the warm-up reviews on a thread of its own, overlapping the server's start. */
    public static void preload() {
        Thread thread = new Thread(() -> {
            try {
                for (byte[] body : reviews()) {
                    Json.MAPPER.writeValueAsBytes(ReviewCodec.response(ReviewCodec.read(body).uid(), ALLOWED));
                }
            } catch (Exception | LinkageError e) {
                LOG.debugf("preload failed (%s); the warm-up does the same", e.getClass().getSimpleName());
            }
        }, "haguard-preload");
        thread.setDaemon(true);
        thread.start();
    }

    /** How the warm-up ended, or null while it runs. */
    static String outcome() {
        return DONE.getNow(null);
    }

    /** Judges the warm-up reviews; says how it went. */
    static String run(AdmissionEngine engine, Policy policy) {
        long start = System.nanoTime();
        try {
            List<byte[]> reviews = reviews();
            for (int i = 0; i < ROUNDS; i++) {
                for (byte[] body : reviews) {
                    Admission admission = ReviewCodec.read(body);
                    for (Webhook webhook : Webhook.values()) {
                        Json.MAPPER.writeValueAsBytes(ReviewCodec.response(admission.uid(),
                                engine.decide(admission, policy, webhook)));
                    }
                }
            }
            return ROUNDS * 2 + " reviews in " + (System.nanoTime() - start) / 1_000_000 + " ms";
        } catch (Exception | LinkageError e) {
            // Only the first requests are slower for it: never keep the server unready over this.
            LOG.warnf("warm-up failed (%s); the first admissions will be slower", e.getClass().getSimpleName());
            return "failed: " + e.getClass().getSimpleName();
        }
    }

    private static List<byte[]> reviews() throws Exception {
        return List.of(review(pod(), "", "pods"), review(deployment(), "apps", "deployments"));
    }

    private static byte[] review(HasMetadata object, String group, String resource) throws Exception {
        return Json.MAPPER.writeValueAsBytes(new AdmissionReviewBuilder()
                .withRequest(new AdmissionRequestBuilder()
                        .withUid("warm-up-" + resource)
                        .withOperation("CREATE")
                        .withKind(new GroupVersionKind(group, object.getKind(), "v1"))
                        .withResource(new GroupVersionResource(group, resource, "v1"))
                        .withNamespace("warm-up")
                        .withObject(object)
                        .build())
                .build());
    }

    private static HasMetadata pod() {
        return new PodBuilder().withNewMetadata().withGenerateName("web-").withNamespace("warm-up")
                .addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("registry.example/web:1.0").endContainer()
                .endSpec().build();
    }

    private static HasMetadata deployment() {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("warm-up").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("registry.example/web:latest").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }
}
