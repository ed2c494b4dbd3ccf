package dev.haguard.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
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
        Boolean podAntiAffinity) implements RuleConfig {

    public static final List<String> DEFAULT_KEYS = List.of("kubernetes.io/hostname", "topology.kubernetes.io/zone");

    public enum WhenUnsatisfiable { ScheduleAnyway, DoNotSchedule }

    public enum InjectInto {
        @JsonProperty("pod") POD,
        @JsonProperty("template") TEMPLATE
    }

    public TopologySpreadConfig {
        mode = RuleConfig.modeOr(mode);
        topologyKeys = topologyKeys == null ? DEFAULT_KEYS : List.copyOf(topologyKeys);
        maxSkew = maxSkew == null ? 1 : maxSkew;
        whenUnsatisfiable = whenUnsatisfiable == null ? WhenUnsatisfiable.ScheduleAnyway : whenUnsatisfiable;
        injectInto = injectInto == null ? InjectInto.POD : injectInto;
        podAntiAffinity = podAntiAffinity != null && podAntiAffinity;
        PolicyException.require(maxSkew >= 1, "maxSkew", "must be at least 1, got " + maxSkew);
        PolicyException.require(!topologyKeys.isEmpty(), "topologyKeys", "must name at least one key");
        PolicyException.require(topologyKeys.stream().noneMatch(String::isBlank), "topologyKeys", "must not hold a blank key");
        PolicyException.require(topologyKeys.stream().distinct().count() == topologyKeys.size(),
                "topologyKeys", "must not name a key twice");
    }
}
