package dev.haguard.backstop;

import dev.haguard.rules.minreplicas.MinReplicasConfig;
import java.util.List;

/**
 * minReplicas in CEL, as MinReplicasRule judges: Deployments, StatefulSets, ReplicaSets without a controller and
 * ReplicationControllers (an omitted count is 1, as the API server defaults it), their scale subresource (a Scale with
 * no count means 0) and HorizontalPodAutoscalers' minReplicas must reach the minimum, or be 0 where allowScaleToZero
 * says so. An UPDATE that keeps or raises a count already below it is admitted with a warning. Not expressed: the
 * engine skips a workload an HPA sizes, which needs the HPA; the backstop leaves out only the HPA controller's own
 * scale requests.
 */
final class MinReplicasBackstop {

    static final String HPA_CONTROLLER = "system:serviceaccount:kube-system:horizontal-pod-autoscaler";

    /** Where a kind keeps its count, what an omitted count means, and how the user fixes it (CEL, from request). */
    record Shape(String name, List<Backstop.Resource> resources, String field, int omitted, Conditions.Condition only,
            String fix) {

        String count(String root) {
            String path = root + "." + field;
            String parent = path.substring(0, path.lastIndexOf('.'));
            return "(has(" + parent + ") && has(" + path + ") ? " + path + " : " + omitted + ")";
        }
    }

    static final List<Shape> SHAPES = List.of(
            new Shape("workloads", List.of(new Backstop.Resource("apps", "deployments", List.of("CREATE", "UPDATE")),
                    new Backstop.Resource("apps", "statefulsets", List.of("CREATE", "UPDATE")),
                    new Backstop.Resource("apps", "replicasets", List.of("CREATE", "UPDATE")),
                    new Backstop.Resource("", "replicationcontrollers", List.of("CREATE", "UPDATE"))), "spec.replicas", 1,
                    new Conditions.Condition("not-a-replicaset-with-a-controller", "!(object.kind == 'ReplicaSet' && "
                            + "has(object.metadata.ownerReferences) && object.metadata.ownerReferences.exists(o, "
                            + "has(o.controller) && o.controller))"),
                    "'Fix: set spec.replicas: ' + string(MIN) + ' or more in the ' + object.kind + ' manifest.'"),
            new Shape("scale", List.of(new Backstop.Resource("apps", "deployments/scale", List.of("UPDATE")),
                    new Backstop.Resource("apps", "statefulsets/scale", List.of("UPDATE")),
                    new Backstop.Resource("", "replicationcontrollers/scale", List.of("UPDATE"))), "spec.replicas", 0,
                    new Conditions.Condition("not-the-autoscaler", "request.userInfo.username != '" + HPA_CONTROLLER + "'"),
                    "'Fix: kubectl scale ' + (request.resource.resource == 'deployments' ? 'deployment' : "
                            + "request.resource.resource == 'replicationcontrollers' ? 'replicationcontroller' : "
                            + "'statefulset') + ' ' + request.name + ' -n ' + request.namespace + ' --replicas=' + "
                            + "string(MIN) + ' (or more).'"),
            new Shape("autoscalers", List.of(new Backstop.Resource("autoscaling", "horizontalpodautoscalers",
                    List.of("CREATE", "UPDATE"))), "spec.minReplicas", 1, null,
                    "'Fix: set spec.minReplicas: ' + string(MIN) + ' or more in the HorizontalPodAutoscaler (and "
                            + "maxReplicas at least that).'"));

    private MinReplicasBackstop() {
    }

    static List<Backstop.Variable> variables(Shape shape, MinReplicasConfig config) {
        String zero = Boolean.TRUE.equals(config.allowScaleToZero()) ? " || variables.count == 0" : "";
        return List.of(
                new Backstop.Variable("count", shape.count("object")),
                new Backstop.Variable("before", "request.operation == 'UPDATE' && oldObject != null ? "
                        + shape.count("oldObject") + " : -1"),
                new Backstop.Variable("enough", "variables.count >= " + config.minimum() + zero),
                new Backstop.Variable("kept", "variables.before >= 0 && variables.before < " + config.minimum()
                        + " && variables.count >= variables.before"));
    }

    static String validation() {
        return "variables.enough || variables.kept";
    }

    static String keptValidation() {
        return "variables.enough || !variables.kept";
    }

    static String message(Shape shape, MinReplicasConfig config) {
        return "'minReplicas: ' + object.kind + ' ' + request.name + ': " + shape.field() + " is ' + "
                + "string(variables.count) + ', below the minimum of " + config.minimum() + ", so ' + (variables.count "
                + "== 0 ? 'no pod runs at all' : variables.count == 1 ? 'one pod\\'s failure is an outage' : "
                + "string(variables.count) + ' pods failing at once is an outage') + '. ' + " + fix(shape, config);
    }

    static String keptMessage(Shape shape, MinReplicasConfig config) {
        return "'minReplicas: " + shape.field() + " is ' + string(variables.count) + ', below the minimum of "
                + config.minimum() + " (unchanged by this request, so it is admitted). ' + " + fix(shape, config);
    }

    private static String fix(Shape shape, MinReplicasConfig config) {
        return shape.fix().replace("MIN", String.valueOf(config.minimum()));
    }
}
