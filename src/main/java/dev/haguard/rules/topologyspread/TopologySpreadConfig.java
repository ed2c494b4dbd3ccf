package dev.haguard.rules.topologyspread;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.haguard.policy.Mode;
import dev.haguard.policy.PolicyException;
import dev.haguard.policy.RuleConfig;
import java.util.List;

/**
 * Settings of the topologySpread rule.
 *
 * @param topologyKeys one constraint is injected per key the pod does not constrain yet
 * @param injectInto {@code pod}: at Pod CREATE; {@code template}: also into workload pod templates
 * @param podAntiAffinity also add a preferred pod anti-affinity on kubernetes.io/hostname
 */
public record TopologySpreadConfig(
        Mode mode,
        List<String> topologyKeys,
        Integer maxSkew,
        WhenUnsatisfiable whenUnsatisfiable,
        InjectInto injectInto,
        Boolean podAntiAffinity) implements RuleConfig<TopologySpreadConfig> {

    static final TopologySpreadConfig BUILT_IN = new TopologySpreadConfig(Mode.ENFORCE,
            List.of("kubernetes.io/hostname", "topology.kubernetes.io/zone"), 1, WhenUnsatisfiable.ScheduleAnyway,
            InjectInto.POD, false);

    public enum WhenUnsatisfiable { ScheduleAnyway, DoNotSchedule }

    public enum InjectInto {
        @JsonProperty("pod") POD,
        @JsonProperty("template") TEMPLATE
    }

    public TopologySpreadConfig {
        PolicyException.require(maxSkew == null || maxSkew >= 1, "maxSkew", "must be at least 1, got " + maxSkew);
        if (topologyKeys != null) {
            topologyKeys = List.copyOf(topologyKeys);
            PolicyException.require(!topologyKeys.isEmpty(), "topologyKeys", "must name at least one key");
            PolicyException.require(topologyKeys.stream().noneMatch(String::isBlank), "topologyKeys",
                    "must not hold a blank key");
            PolicyException.require(topologyKeys.stream().distinct().count() == topologyKeys.size(),
                    "topologyKeys", "must not name a key twice");
        }
    }

    @Override
    public TopologySpreadConfig over(TopologySpreadConfig base) {
        return new TopologySpreadConfig(RuleConfig.or(mode, base.mode), RuleConfig.or(topologyKeys, base.topologyKeys),
                RuleConfig.or(maxSkew, base.maxSkew), RuleConfig.or(whenUnsatisfiable, base.whenUnsatisfiable),
                RuleConfig.or(injectInto, base.injectInto), RuleConfig.or(podAntiAffinity, base.podAntiAffinity));
    }
}
