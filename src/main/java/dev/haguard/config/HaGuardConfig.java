package dev.haguard.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** ha-guard's own settings (application.properties, or environment variables such as HAGUARD_POLICY_FILE). */
@ConfigMapping(prefix = "haguard")
public interface HaGuardConfig {

    /** Where the policy comes from. */
    PolicySource policy();

    interface PolicySource {
        /** A policy YAML file to use instead of the packaged policies/default.yaml. */
        Optional<String> file();
    }
}
