package dev.haguard.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.haguard.json.Json;
import dev.haguard.json.Sha256;
import java.time.Instant;

/**
 * A policy in force and where it came from: what one request reads once and judges with throughout.
 *
 * @param digest SHA-256 of the effective policy (what it means, not how it is formatted): the version in force
 * @param resourceVersion the ConfigMap's, or null for a file or the packaged default
 */
public record PolicySnapshot(Policy policy, String digest, String source, String resourceVersion, Instant loadedAt) {

    public static PolicySnapshot of(Policy policy, String source, String resourceVersion) {
        try {
            return new PolicySnapshot(policy, "sha256:" + Sha256.hex(Json.MAPPER.writeValueAsString(policy)), source,
                    resourceVersion, Instant.now());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a policy always serializes", e);
        }
    }
}
