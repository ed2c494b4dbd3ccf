package dev.haguard.rules.backups;

import dev.haguard.engine.ClusterView;
import dev.haguard.rules.common.ApiKinds;
import dev.haguard.engine.ApiKind;
import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.engine.Admission;
import dev.haguard.engine.ClusterView.Backups;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Operation;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.Webhook;
import dev.haguard.json.Json;
import dev.haguard.policy.Mode;
import dev.haguard.policy.RuleSettings;
import dev.haguard.rules.common.Workloads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Backups as policy at admission, from the cluster view's caches, and in the scan from what is stored
 * ({@link BackupsStored}):
 * <ul>
 * <li>a StatefulSet with volumeClaimTemplates, or a PersistentVolumeClaim, created in a namespace that no Velero
 * Schedule backs up within its RPO, with a ready-to-apply Schedule as the fix;</li>
 * <li>a Velero Schedule created, changed or deleted so that namespaces it protected within their RPO no longer are;</li>
 * <li>a Namespace's own objectives ({@code haguard.dev/rpo}, {@code haguard.dev/rto}) that do not parse, or are looser
 * than the policy's.</li>
 * </ul>
 */
public final class BackupsRule implements Rule<BackupsConfig> {

    /** Its key in the policy, its settings and the settings where a policy says nothing. */
    public static final RuleSettings<BackupsConfig> SETTINGS =
            RuleSettings.of("backups", BackupsConfig.class, BackupsConfig.BUILT_IN);

    public static final String RPO_ANNOTATION = Protection.RPO_ANNOTATION;
    private static final String KUBE_CONTROLLERS = "system:serviceaccount:kube-system:";

    @Override
    public String notInCel() {
        return "it judges an object against others (Velero's Schedules, the namespaces with data), "
                + "which a ValidatingAdmissionPolicy cannot read";
    }

    @Override
    public List<ApiKind> reads() {
        return List.of(ApiKinds.NAMESPACE, ApiKinds.PERSISTENT_VOLUME_CLAIM, ApiKinds.STATEFUL_SET, ApiKinds.POD,
                ApiKinds.VELERO_SCHEDULE, ApiKinds.VELERO_BACKUP, ApiKinds.VELERO_LOCATION);
    }

    @Override
    public Set<ClusterView.Need> clusterNeeds() {
        return Set.of(ClusterView.Need.NAMESPACES, ClusterView.Need.CLAIMS, ClusterView.Need.WORKLOADS,
                ClusterView.Need.SCHEDULES);
    }

    @Override
    public RuleSettings<BackupsConfig> settings() {
        return SETTINGS;
    }

    @Override
    public List<Coverage> coverage() {
        return List.of(new Coverage(Webhook.VALIDATE, "", "namespaces", Coverage.WRITES),
                new Coverage(Webhook.VALIDATE, "apps", "statefulsets", Coverage.CREATE),
                new Coverage(Webhook.VALIDATE, "", "persistentvolumeclaims", Coverage.CREATE),
                // DELETE too: deleting the last covering schedule is the surest way to lose backups.
                new Coverage(Webhook.VALIDATE, "velero.io", "schedules",
                        Set.of(Operation.CREATE, Operation.UPDATE, Operation.DELETE)));
    }

    @Override
    public java.util.Map<String, String> measures() {
        return BackupsStored.MEASURES;
    }

    @Override
    public List<dev.haguard.engine.StateFinding> judgeStored(dev.haguard.engine.Stored stored,
            ScopedSettings<BackupsConfig> settings) {
        return BackupsStored.judge(stored, settings);
    }

    @Override
    public Finding evaluate(RuleContext context, BackupsConfig config) {
        Admission a = context.admission();
        if (a.group().equals("velero.io")) {
            return schedule(context);
        }
        HasMetadata target = context.target();
        if (target instanceof Namespace namespace) {
            return namespace(namespace, config);
        }
        if (target instanceof StatefulSet set && (set.getSpec() == null || set.getSpec().getVolumeClaimTemplates() == null
                || set.getSpec().getVolumeClaimTemplates().isEmpty())) {
            return Finding.skip("no volumeClaimTemplates: its pods keep no data of their own");
        }
        if (target instanceof PersistentVolumeClaim && a.userName().startsWith(KUBE_CONTROLLERS)) {
            return Finding.skip("made by " + a.userName() + " for an object that was judged itself");
        }
        return data(context, config);
    }

    private static Finding namespace(Namespace namespace, BackupsConfig config) {
        Protection.Objective objective = Protection.objective(config, Workloads.annotations(namespace));
        if (!objective.invalid().isEmpty()) {
            return Finding.violation(String.join("; ", objective.invalid()) + ".");
        }
        if (!objective.ignored().isEmpty()) {
            return Finding.notice(String.join("; ", objective.ignored()) + ".");
        }
        boolean asks = Workloads.annotations(namespace).containsKey(Protection.RPO_ANNOTATION)
                || Workloads.annotations(namespace).containsKey(Protection.RTO_ANNOTATION);
        return asks ? Finding.pass() : Finding.skip("no " + Protection.RPO_ANNOTATION + " or " + Protection.RTO_ANNOTATION
                + " annotation: the policy's objectives apply (RPO " + config.rpo() + ")");
    }

    /** A StatefulSet with claim templates or a claim: its namespace must be backed up within its RPO. */
    private static Finding data(RuleContext context, BackupsConfig config) {
        Admission a = context.admission();
        Optional<Backups> known = context.cluster().backups();
        if (known.isEmpty()) {
            return Finding.skip("Velero's Schedules are not known (no cluster cache, or not filled yet)");
        }
        String ns = a.namespace();
        Duration rpo = Protection.objective(config, context.cluster().namespaceAnnotations(ns)).rpo();
        String veleroNamespace = known.get().schedules().stream().map(s -> s.path("metadata").path("namespace").asText())
                .findFirst().orElse("velero");
        String apply = "kubectl apply -f - <<< '" + Protection.scheduleFor(ns, rpo, veleroNamespace) + "'";
        String holds = a.describe() + " keeps data in namespace " + ns;
        if (!known.get().veleroInstalled()) {
            return Finding.violation(holds + ", but Velero is not installed in this cluster (no velero.io Schedule CRD): "
                    + "no backups are taken, so a lost volume cannot be restored. Fix: install Velero, then " + apply);
        }
        Protection.Best best = Protection.best(ns, known.get().schedules());
        String shortfall = Protection.shortfall(best, rpo);
        if (shortfall == null) {
            return Finding.pass();
        }
        String fix = best.best() == null ? apply : "set spec.schedule of Schedule " + veleroNamespace + "/" + best.name()
                + " to '" + Protection.cronFor(rpo) + "', or " + apply;
        return Finding.violation(holds + ", and " + shortfall + " (RPO " + Protection.human(rpo) + "). Fix: " + fix);
    }

    /** A Schedule change, judged by the namespaces it leaves exposed that were protected within their RPO before. */
    private static Finding schedule(RuleContext context) {
        Admission a = context.admission();
        JsonNode before = a.oldObject() == null ? null : Json.tree(a.oldObject());
        JsonNode after = a.object() == null ? null : Json.tree(a.object());
        // Velero's Schedule CRD has no status subresource (subresources: {}), so each run's status write arrives here.
        if (before != null && after != null && before.path("spec").equals(after.path("spec"))) {
            return Finding.skip("spec unchanged");
        }
        if (after != null) {
            try {
                CronGaps.longestGap(after.path("spec").path("schedule").asText());
            } catch (IllegalArgumentException e) {
                return Finding.violation(a.describe() + ": spec.schedule " + e.getMessage() + ", so Velero never runs it. "
                        + "Fix: five cron fields such as '0 2 * * *', or @daily, @hourly, @every 6h.");
            }
        }
        Optional<Backups> known = context.cluster().backups();
        Optional<Set<String>> withData = context.cluster().namespacesWithData();
        if (known.isEmpty() || withData.isEmpty()) {
            return Finding.skip("Velero's Schedules and the namespaces with data are not known (no cluster cache)");
        }
        String key = a.namespace() + "/" + a.name();
        List<JsonNode> others = known.get().schedules().stream()
                .filter(s -> !key.equals(s.path("metadata").path("namespace").asText() + "/" + VeleroSchedules.name(s)))
                .toList();
        List<JsonNode> was = with(others, before);
        List<JsonNode> will = with(others, after);
        List<String> exposed = new ArrayList<>();
        for (String ns : new TreeSet<>(known.get().namespaces())) {
            BackupsConfig config = context.settingsIn(ns, SETTINGS);
            if (config == null || config.mode() == Mode.OFF || config.namespaces() == BackupsConfig.Needs.STATEFUL
                    && !withData.get().contains(ns)) {
                continue;
            }
            Duration rpo = Protection.objective(config, context.cluster().namespaceAnnotations(ns)).rpo();
            Protection.Best now = Protection.best(ns, will);
            if (Protection.best(ns, was).meets(rpo) && !now.meets(rpo)) {
                exposed.add(ns + " (" + Protection.shortfall(now, rpo) + ")");
            }
        }
        if (exposed.isEmpty()) {
            return Finding.pass();
        }
        String verb = after == null ? "deleting" : before == null ? "creating" : "this change to";
        return Finding.violation(capitalised(verb) + " " + a.describe() + " leaves " + exposed.size() + " namespace(s) "
                + "without a backup within their RPO: " + String.join("; ", exposed) + ". Fix: " + (after == null
                ? "first apply a Schedule that covers them, then delete this one."
                : "keep them covered (spec.paused false, a schedule at least as frequent, the namespaces included), "
                        + "or first apply another Schedule that covers them."));
    }

    private static List<JsonNode> with(List<JsonNode> others, JsonNode schedule) {
        if (schedule == null) {
            return others;
        }
        List<JsonNode> all = new ArrayList<>(others);
        all.add(schedule);
        return all;
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
