package dev.haguard.server;

import dev.haguard.policy.PolicySnapshot;
import dev.haguard.admission.AdmissionMetrics;
import dev.haguard.admission.Audited;
import dev.haguard.admission.Handler;
import dev.haguard.admission.Judging;
import dev.haguard.admission.Metered;
import dev.haguard.admission.Shedding;
import dev.haguard.cluster.Watching;
import dev.haguard.config.HaGuardConfig;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.policy.PolicyConfigMap;
import dev.haguard.policy.PolicyParser;
import dev.haguard.rules.StandardRules;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * The composition root: builds the rules, the engine and the policy holder from ha-guard's settings, once. Beans
 * receive what they use from here; none of them builds its own.
 */
@ApplicationScoped
public class Wiring {

    @Produces
    @Singleton
    PolicyConfigMap policyConfigMap(HaGuardConfig config) {
        HaGuardConfig.ConfigMapSource cm = config.policy().configmap();
        return new PolicyConfigMap(cm.namespace().orElseGet(Watching::ownNamespace), cm.name(), cm.key());
    }

    @Produces
    @Singleton
    StandardRules rules(PolicyConfigMap policyConfigMap) {
        return new StandardRules(policyConfigMap, Watching.ownNamespace());
    }

    @Produces
    @Singleton
    PolicyParser parser(StandardRules rules) {
        return rules.parser();
    }

    @Produces
    @Singleton
    AdmissionEngine engine(StandardRules rules) {
        return rules.engine();
    }

    /**
     * The door's handler: the decision, and around it, outermost first, the audit record, the metrics and load
     * shedding (Kyverno's withAdmission(...).WithMetrics(...) composition).
     */
    @Produces
    @Singleton
    Handler handler(AdmissionEngine engine, ClusterWatch cluster, AdmissionMetrics metrics, Auditor auditor,
            HaGuardConfig config) {
        Handler judging = new Judging(engine, cluster::current);
        Handler shedding = new Shedding(judging, engine, config.admission().queueDeadline().toNanos(), metrics);
        return new Audited(new Metered(shedding, metrics), auditor);
    }

    /** Starts on the policy file, or the packaged default; a broken file fails start-up, naming the key and line. */
    @Produces
    @Singleton
    PolicyHolder holder(HaGuardConfig config, PolicyParser parser, MeterRegistry metrics) {
        PolicySnapshot fallback = config.policy().file()
                .map(f -> PolicySnapshot.of(parser.parse(Path.of(f)), "file " + f, null))
                .orElseGet(() -> PolicySnapshot.of(parser.packagedDefault(),
                        "packaged " + PolicyParser.PACKAGED_DEFAULT, null));
        return new PolicyHolder(fallback, parser, metrics);
    }
}
