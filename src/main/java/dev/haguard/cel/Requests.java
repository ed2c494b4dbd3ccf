package dev.haguard.cel;

import dev.haguard.engine.Operation;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CEL conditions on an admission request as the API server's matchConditions and ValidatingAdmissionPolicies see it,
 * written so that they cannot fail: AdmissionRequest's subResource is omitempty, and an object's ownerReferences and
 * an owner's controller flag may be absent, so each is tested with has() before it is read.
 */
public final class Requests {

    private Requests() {
    }

    /** The object has a controlling owner (ownerReferences with controller: true) of one of {@code kinds}, or of any. */
    public static String controlledBy(List<String> kinds) {
        return "has(object.metadata.ownerReferences) && object.metadata.ownerReferences.exists(o, has(o.controller) "
                + "&& o.controller" + (kinds.isEmpty() ? "" : " && o.kind in " + Conditions.list(kinds)) + ")";
    }

    /**
     * Whether condition {@code a} always implies {@code b}, as far as these conditions go: the same text, or a
     * controller of given kinds against a controller of any kind. Lets a conjunction drop what it already says.
     */
    public static boolean implies(String a, String b) {
        String any = controlledBy(List.of());
        String prefix = any.substring(0, any.length() - 1) + " && o.kind in ";
        return a.equals(b) || b.equals(any) && a.startsWith(prefix);
    }

    /** A request to {@code resourcePath} ("pods", "deployments/scale") of {@code group} at one of {@code operations}. */
    public static String to(String group, String resourcePath, Set<Operation> operations) {
        int slash = resourcePath.indexOf('/');
        String resource = slash < 0 ? resourcePath : resourcePath.substring(0, slash);
        String sub = slash < 0 ? "(!has(request.subResource) || request.subResource == '')"
                : "has(request.subResource) && request.subResource == " + Cel.lit(resourcePath.substring(slash + 1));
        List<String> ops = operations.stream().map(Operation::name).sorted().toList();
        return "request.resource.group == " + Cel.lit(group) + " && request.resource.resource == " + Cel.lit(resource)
                + " && " + sub + " && " + (ops.size() == 1 ? "request.operation == " + Cel.lit(ops.get(0))
                        : "request.operation in " + ops.stream().map(Cel::lit).collect(Collectors.joining(", ", "[", "]")));
    }
}
