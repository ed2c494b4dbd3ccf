package dev.haguard.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.engine.Measure;
import dev.haguard.scan.ScanFinding;
import dev.haguard.scan.ScanReport;
import dev.haguard.scan.ScanText;
import dev.haguard.cluster.Watching;
import dev.haguard.config.HaGuardConfig;
import dev.haguard.json.Json;
import dev.haguard.policy.Policy;
import dev.haguard.rules.StandardRules;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.ManagementInterface;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Wires the background scan into the server: a {@link ScanLeader} when ha-guard watches a cluster and
 * {@code haguard.scan.interval} is not 0; the last result on {@code GET /q/scan} (management port) and as metrics.
 */
@ApplicationScoped
public class BackgroundScan {

    private static final Logger LOG = Logger.getLogger(BackgroundScan.class);

    private final HaGuardConfig config;
    private final Instance<KubernetesClient> client;
    private final PolicyHolder holder;
    private final StandardRules standard;
    private final MultiGauge findings;
    private final MultiGauge readiness;
    private final Counter failures;
    private final MeterRegistry metrics;
    private final Map<String, MultiGauge> measures = new java.util.HashMap<>();
    private final AtomicReference<ScanReport> last = new AtomicReference<>();
    private volatile double lastDuration = Double.NaN;
    private volatile double lastSuccess = 0;
    private ScanLeader leader;

    BackgroundScan(HaGuardConfig config, Instance<KubernetesClient> client, PolicyHolder holder, StandardRules standard,
            MeterRegistry metrics) {
        this.config = config;
        this.client = client;
        this.holder = holder;
        this.standard = standard;
        this.metrics = metrics;
        this.findings = MultiGauge.builder("haguard.scan.findings")
                .description("Findings of the last background scan, by namespace, rule, severity and check (one-zone, "
                        + "one-node, drain-blocking, single-zone-cluster, control-plane-nodes, control-plane-one-zone, "
                        + "zone-capacity, or empty)").register(metrics);
        this.readiness = MultiGauge.builder("haguard.scan.readiness")
                .description("DR readiness of the last background scan, 0 to 100: per namespace, and (cluster)")
                .register(metrics);
        standard.rules().forEach(rule -> rule.measures().forEach((metric, description) -> measures.put(metric,
                MultiGauge.builder(metric).baseUnit("seconds").description(description).register(metrics))));
        this.failures = Counter.builder("haguard.scan.failures").description("Background scans that failed")
                .register(metrics);
        Gauge.builder("haguard.scan.duration", this, s -> s.lastDuration).baseUnit("seconds")
                .description("How long the last background scan took").register(metrics);
        Gauge.builder("haguard.scan.last.success.timestamp", this, s -> s.lastSuccess).baseUnit("seconds")
                .description("When the last background scan succeeded, in Unix seconds; 0 on a replica that has not")
                .register(metrics);
        Gauge.builder("haguard.scan.leader", this, s -> s.leader != null && s.leader.leading() ? 1 : 0)
                .description("1 on the replica that leads the background scan").register(metrics);
    }

    void onStart(@Observes StartupEvent event) {
        Duration interval = config.scan().interval();
        if (interval.isZero() || !Watching.writes(config.policy().watch())) {
            LOG.infof("background scan off (%s)", interval.isZero() ? "haguard.scan.interval is 0" : "not running in a pod, and haguard.policy.watch is not true");
            return;
        }
        KubernetesClient kube = client.get();
        String identity = Leader.OWN_IDENTITY;
        leader = new ScanLeader(kube, Watching.ownNamespace(), identity, new ScanLeader.Policies() {
            @Override
            public Policy policy() {
                return holder.current().policy();
            }

            @Override
            public String digest() {
                return holder.current().digest();
            }
        }, standard, interval, new ScanLeader.Limits(config.scan().maxObjects(), config.scan().heapLimit()),
                ScanLeader.Timing.DEFAULT.withPolicyCheck(config.scan().recheck()),
                new PolicyReports(kube, PolicyReports.Api.of(config.scan().reportApi())), this::publish,
                t -> failures.increment());
        leader.writingBudgets(new DefaultBudgetsWriter(kube, (outcome, n) -> Counter.builder(
                "haguard.default.budgets.writes").description("Writes of ha-guard's default PodDisruptionBudgets by "
                + "the scan's leader, by outcome (created, updated, deleted, failed)").tag("outcome", outcome)
                .register(metrics).increment(n)));
        leader.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (leader != null) {
            leader.close();
        }
    }

    private void publish(ScanReport result, Duration took) {
        last.set(result);
        lastDuration = took.toNanos() / 1e9;
        lastSuccess = result.at().getEpochSecond();
        Map<Tags, Integer> counts = new java.util.HashMap<>();
        for (ScanFinding f : result.findings()) {
            counts.merge(Tags.of("namespace", f.namespace().isEmpty() ? "(cluster)" : f.namespace(), "rule", f.rule(),
                    "severity", f.severity().name(), "check", f.check()), 1, Integer::sum);
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((tags, n) -> rows.add(MultiGauge.Row.of(tags, n)));
        findings.register(rows, true);
        List<MultiGauge.Row<?>> scores = new ArrayList<>();
        result.scores().forEach((ns, score) -> scores.add(MultiGauge.Row.of(Tags.of("namespace", ns), score)));
        scores.add(MultiGauge.Row.of(Tags.of("namespace", "(cluster)"), result.clusterScore()));
        readiness.register(scores, true);
        Map<String, List<MultiGauge.Row<?>>> measured = new java.util.HashMap<>();
        measures.keySet().forEach(metric -> measured.put(metric, new ArrayList<>()));
        for (Measure m : result.measures()) {
            Tags tags = Tags.of("namespace", m.namespace());
            for (Map.Entry<String, String> label : m.labels().entrySet()) {
                tags = tags.and(label.getKey(), label.getValue());
            }
            // Ages grow between scans; a replica that no longer leads says nothing (NaN), so no alert reads it.
            measured.get(m.metric()).add(MultiGauge.Row.of(tags, this, s -> s.leader != null && s.leader.leading()
                    ? m.seconds(java.time.Instant.now()) : Double.NaN));
        }
        measured.forEach((metric, gauges) -> measures.get(metric).register(gauges, true));
        LOG.infof("background scan: %d finding(s) in %d namespace(s), DR readiness %d/100, in %d ms",
                result.findings().size(), result.objects().size(), result.clusterScore(), took.toMillis());
    }

    void register(@Observes ManagementInterface management) {
        management.router().get("/q/scan").handler(ctx -> {
            ScanReport result = last.get();
            ObjectNode out;
            int status;
            if (result != null) {
                out = ScanText.json(result);
                out.put("at", result.at().toString());
                status = 200;
            } else {
                out = Json.MAPPER.createObjectNode().put("message", leader == null
                        ? "the background scan is off (haguard.scan.interval is 0, or ha-guard runs outside a pod "
                                + "without haguard.policy.watch=true)"
                        : leader.leading() ? "the first scan has not finished yet"
                        : "this replica (" + leader.identity() + ") does not lead the scan; the leader is "
                                + (leader.leader() == null ? "not known yet" : leader.leader()));
                status = 503;
            }
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(out.toPrettyString());
        });
    }
}
