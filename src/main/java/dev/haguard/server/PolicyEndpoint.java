package dev.haguard.server;

import dev.haguard.policy.PolicySnapshot;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.json.Json;
import dev.haguard.policy.PolicyConfigMap;
import io.quarkus.vertx.http.ManagementInterface;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** {@code GET /q/policy} on the management port: the policy in force, where it came from, and the last refusal. */
@ApplicationScoped
public class PolicyEndpoint {

    private final PolicyHolder holder;
    private final PolicyConfigMap location;

    PolicyEndpoint(PolicyHolder holder, PolicyConfigMap location) {
        this.holder = holder;
        this.location = location;
    }

    void register(@Observes ManagementInterface management) {
        management.router().get("/q/policy").handler(ctx -> {
            try {
                ctx.response().putHeader("Content-Type", "application/json").end(Json.MAPPER.writeValueAsString(report()));
            } catch (JsonProcessingException e) {
                ctx.fail(e);
            }
        });
    }

    ObjectNode report() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        PolicySnapshot loaded = holder.current();
        out.put("digest", loaded.digest());
        out.put("source", loaded.source());
        out.put("resourceVersion", loaded.resourceVersion());
        out.put("loadedAt", loaded.loadedAt().toString());
        out.put("configMap", location.toString());
        PolicyHolder.Failure failure = holder.lastError();
        if (failure == null) {
            out.putNull("lastError");
        } else {
            out.putObject("lastError").put("source", failure.source()).put("message", failure.message())
                    .put("at", failure.at().toString());
        }
        out.set("policy", Json.MAPPER.valueToTree(loaded.policy()));
        return out;
    }
}
