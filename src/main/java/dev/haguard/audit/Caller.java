package dev.haguard.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.json.Json;

/**
 * Who sent a request: the peer address, and the subject of the client certificate the TLS layer verified, or null
 * when none was asked for or given. Anything that can reach the port can claim any user in a review; only these
 * two say which client it was.
 */
public record Caller(String address, String subject) {

    /** Where nothing is known of the client (the command-line tools). */
    public static final Caller UNKNOWN = new Caller("", null);

    ObjectNode json() {
        ObjectNode caller = Json.MAPPER.createObjectNode().put("address", address);
        if (subject != null) {
            caller.put("subject", subject);
        }
        return caller;
    }
}
