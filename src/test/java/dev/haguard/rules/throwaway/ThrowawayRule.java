package dev.haguard.rules.throwaway;

import dev.haguard.engine.ApiKind;
import dev.haguard.engine.ClusterView;
import dev.haguard.engine.Coverage;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleContext;
import dev.haguard.engine.StateFinding;
import dev.haguard.engine.Stored;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.Mode;
import dev.haguard.policy.RuleSettings;
import dev.haguard.policy.SimpleRuleConfig;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import java.util.Set;

/**
 * A rule no one ships, written as "Adding a rule" in the docs says: one folder, declaring everything it is. It asks
 * that an Ingress terminate TLS, and in a scan counts Ingresses without any.
 */
public final class ThrowawayRule implements Rule<SimpleRuleConfig> {

    static final ApiKind INGRESS = ApiKind.of("networking.k8s.io", "v1", "Ingress", "ingresses", true, Ingress.class,
            "spec");

    public static final RuleSettings<SimpleRuleConfig> SETTINGS =
            RuleSettings.of("throwaway", SimpleRuleConfig.class, new SimpleRuleConfig(Mode.WARN));

    @Override
    public RuleSettings<SimpleRuleConfig> settings() {
        return SETTINGS;
    }

    @Override
    public List<Coverage> coverage() {
        return List.of(new Coverage(Webhook.VALIDATE, "networking.k8s.io", "ingresses", Coverage.CREATE));
    }

    @Override
    public Finding evaluate(RuleContext context, SimpleRuleConfig config) {
        Ingress ingress = (Ingress) context.target();
        return ingress.getSpec() != null && ingress.getSpec().getTls() != null && !ingress.getSpec().getTls().isEmpty()
                ? Finding.pass() : Finding.violation("serves without TLS. Fix: add spec.tls.");
    }

    @Override
    public List<ApiKind> judges() {
        return List.of(INGRESS);
    }

    @Override
    public List<ApiKind> reads() {
        return List.of(dev.haguard.rules.common.ApiKinds.NODE);
    }

    @Override
    public Set<ClusterView.Need> clusterNeeds() {
        return Set.of(ClusterView.Need.NODES);
    }

    @Override
    public List<StateFinding> judgeStored(Stored stored, ScopedSettings<SimpleRuleConfig> settings) {
        long plain = stored.of("Ingress").stream().filter(i -> i.path("spec").path("tls").isEmpty()).count();
        return plain == 0 ? List.of() : List.of(new StateFinding("", StateFinding.CLUSTER, "", Finding.Kind.NOTICE,
                plain + " Ingress(es) serve without TLS"));
    }

    @Override
    public List<String> warmUp() {
        return List.of("ingress-create.validate.json");
    }

    @Override
    public String notInCel() {
        return "a test's throwaway rule";
    }
}
