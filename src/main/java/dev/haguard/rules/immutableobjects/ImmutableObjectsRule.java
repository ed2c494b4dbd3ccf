package dev.haguard.rules.immutableobjects;

import dev.haguard.cel.Cel;
import dev.haguard.engine.Unjudged;
import dev.haguard.rules.common.ApiKinds;
import dev.haguard.engine.ApiKind;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.cel.CelBackstop;
import dev.haguard.cel.CelScope;
import dev.haguard.cel.ValidatingPolicies;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.RuleSettings;
import dev.haguard.rules.common.Changes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;

/**
 * Immutable infrastructure: an object marked immutable is replaced by a new, versioned object, never edited.
 * Fields that Kubernetes and its controllers manage, and scaling, are not drift.
 */
public final class ImmutableObjectsRule implements Rule<ImmutableObjectsConfig>,
        CelBackstop<ImmutableObjectsConfig> {

    /** Its key in the policy, its settings and the settings where a policy says nothing. */
    public static final RuleSettings<ImmutableObjectsConfig> SETTINGS =
            RuleSettings.of("immutableObjects", ImmutableObjectsConfig.class, ImmutableObjectsConfig.BUILT_IN);

    /** Fields that change without anybody editing what was deployed. */
    private static final List<List<String>> MANAGED = List.of(
            List.of("status"),
            List.of("metadata", "managedFields"),
            List.of("metadata", "resourceVersion"),
            List.of("metadata", "generation"),
            List.of("metadata", "finalizers"),
            List.of("metadata", "ownerReferences"),
            List.of("metadata", "deletionTimestamp"),
            List.of("metadata", "deletionGracePeriodSeconds"),
            List.of("spec", "replicas"));

    @Override
    public List<String> notExpressed() {
        return List.of("immutableObjects locking ConfigMaps and Secrets at CREATE (immutable: true): a mutation");
    }

    @Override
    public void addTo(CelScope scope, ImmutableObjectsConfig config, ValidatingPolicies out) {
        ImmutableObjectsCel.addTo(scope, config, out);
    }

    @Override
    public List<ApiKind> judges() {
        return List.of(ApiKinds.CONFIG_MAP, ApiKinds.SECRET);
    }

    /** An UPDATE of an object that was not marked immutable: there is nothing to keep. */
    @Override
    public List<Unjudged> unjudged() {
        String label = Cel.lit(Markers.LABEL);
        return List.of(new Unjudged(Webhook.VALIDATE, "*", "*", Coverage.UPDATE, "oldObject == null || !(has(oldObject"
                + ".metadata.labels) && " + label + " in oldObject.metadata.labels && oldObject.metadata.labels[" + label
                + "] == 'true') && !(request.resource.resource == 'configmaps' && has(oldObject.data) && "
                + Cel.lit(Markers.CONFIGMAP_KEY) + " in oldObject.data && oldObject.data[" + Cel.lit(Markers.CONFIGMAP_KEY)
                + "] == 'immutable')", "the object was not marked immutable"));
    }

    @Override
    public List<String> warmUp() {
        return List.of("configmap-immutable.validate.json");
    }

    @Override
    public RuleSettings<ImmutableObjectsConfig> settings() {
        return SETTINGS;
    }

    @Override
    public List<Coverage> coverage() {
        return List.of(new Coverage(Webhook.MUTATE, "", "configmaps", Coverage.CREATE),
                new Coverage(Webhook.MUTATE, "", "secrets", Coverage.CREATE),
                new Coverage(Webhook.VALIDATE, "", "configmaps", Coverage.UPDATE),
                new Coverage(Webhook.VALIDATE, "", "secrets", Coverage.UPDATE),
                // any kind can carry the label; the webhook selects labelled objects only
                new Coverage(Webhook.VALIDATE, "*", "*", Coverage.UPDATE));
    }

    @Override
    public Finding evaluate(RuleContext context, ImmutableObjectsConfig config) {
        Admission a = context.admission();
        if (context.mutating()) {
            return lockAtCreate(context);
        }
        if (!Markers.immutable(a.oldObject())) {
            return Finding.skip("not marked immutable");
        }
        List<String> changed = Changes.between(comparable(a.oldObject(), config), comparable(a.object(), config));
        if (changed.isEmpty()) {
            return Finding.pass();
        }
        String name = a.oldObject().getMetadata().getName();
        boolean unmarked = !Markers.immutable(a.object());
        return Finding.violation(ImmutableObjectsWords.changed(a.kind(), name, Markers.describe(a.oldObject()),
                Changes.summary(changed, 8), unmarked ? ImmutableObjectsWords.UNMARKED : "",
                a.object() instanceof ConfigMap || a.object() instanceof Secret ? ImmutableObjectsWords.repointed(name) : ImmutableObjectsWords.MOVED));
    }

    /** ConfigMaps and Secrets marked immutable also get immutable: true, so the API server enforces it too. */
    private static Finding lockAtCreate(RuleContext context) {
        HasMetadata target = context.target();
        if (!(target instanceof ConfigMap || target instanceof Secret) || !Markers.immutable(target)) {
            return Finding.skip("only ConfigMaps and Secrets marked immutable are locked at CREATE");
        }
        Boolean current = target instanceof ConfigMap cm ? cm.getImmutable() : ((Secret) target).getImmutable();
        if (Boolean.TRUE.equals(current)) {
            return Finding.pass();
        }
        if (Boolean.FALSE.equals(current)) {
            return Finding.notice(target.getKind() + " " + target.getMetadata().getName() + " is marked immutable ("
                    + Markers.describe(target) + ") but sets immutable: false, which ha-guard leaves as written; "
                    + "set immutable: true or remove the marker");
        }
        HasMetadata edited = context.edit();
        if (edited instanceof ConfigMap cm) {
            cm.setImmutable(true);
        } else {
            ((Secret) edited).setImmutable(true);
        }
        return Finding.mutated("set immutable: true because it is marked immutable (" + Markers.describe(target) + ")");
    }

    private static ObjectNode comparable(HasMetadata object, ImmutableObjectsConfig config) {
        ObjectNode tree = Changes.without(object, MANAGED);
        if (tree.path("metadata").path("annotations") instanceof ObjectNode annotations) {
            annotations.remove(config.allowedAnnotations());
            if (annotations.isEmpty()) {
                ((ObjectNode) tree.get("metadata")).remove("annotations");
            }
        }
        return tree;
    }
}
