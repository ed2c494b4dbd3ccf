package dev.haguard.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.haguard.engine.Admission;
import dev.haguard.engine.Operation;
import dev.haguard.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The few fields of a review that identify it (uid, who, what), read by streaming past the objects without
 * building them: what an overloaded ha-guard can afford for a request it will not evaluate.
 */
record Envelope(String uid, String operation, String kind, String namespace, String name, String user,
        List<String> groups) {

    /** An admission with no objects: enough to answer, record and count it, not to judge it. */
    Admission admission() {
        Operation op;
        try {
            op = Operation.valueOf(operation);
        } catch (IllegalArgumentException e) {
            op = Operation.CONNECT;
        }
        return new Admission(uid, op, new Admission.Target("", "", kind, "", ""), namespace, name, false,
                new Admission.User(user, groups), null, null);
    }

    /** The envelope, or null when the body is no review with a request uid (then the full read says why). */
    static Envelope peek(byte[] body) {
        String uid = null;
        String operation = "";
        String kind = "";
        String namespace = "";
        String name = "";
        String user = "";
        List<String> groups = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("request") || p.currentToken() != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (key) {
                        case "uid" -> uid = p.getValueAsString();
                        case "operation" -> operation = p.getValueAsString("");
                        case "namespace" -> namespace = p.getValueAsString("");
                        case "name" -> name = p.getValueAsString("");
                        case "kind" -> kind = objectField(p, "kind");
                        case "userInfo" -> user = userInfo(p, groups);
                        default -> {
                            if (value.isStructStart()) {
                                p.skipChildren();
                            }
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return uid == null || uid.isBlank() ? null : new Envelope(uid, operation, kind, namespace, name, user, groups);
    }

    private static String objectField(JsonParser p, String wanted) throws IOException {
        String found = "";
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return found;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if (key.equals(wanted)) {
                found = p.getValueAsString("");
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    private static String userInfo(JsonParser p, List<String> groups) throws IOException {
        String user = "";
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return user;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            if (key.equals("username")) {
                user = p.getValueAsString("");
            } else if (key.equals("groups") && value == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    groups.add(p.getText());
                }
            } else {
                p.skipChildren();
            }
        }
        return user;
    }
}
