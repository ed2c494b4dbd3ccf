package dev.haguard.rules.minreplicas;

import dev.haguard.policy.WorkloadKind;
import dev.haguard.rules.common.Workloads;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Workloads for which "more replicas" is the wrong fix. Pods of a Deployment (or ReplicaSet, ReplicationController)
 * that mount a claim share it: a ReadWriteOnce claim stops the second pod with a Multi-Attach error, and two writers on
 * one volume diverge. A database with its own storage needs its own replication, not a second independent copy.
 */
final class SingleWriter {

    /** Images of software that keeps state and replicates only when told to (the image name's last segment). */
    private static final Set<String> DATABASES = Set.of("postgres", "postgresql", "mysql", "mariadb", "mongo",
            "mongodb", "redis", "valkey", "cassandra", "elasticsearch", "opensearch", "etcd", "zookeeper", "kafka",
            "rabbitmq", "couchdb", "influxdb", "neo4j", "clickhouse-server", "memcached");

    private SingleWriter() {
    }

    /** The advice to give instead of "set spec.replicas: N", or empty where raising replicas is the right fix. */
    static Optional<String> fix(HasMetadata workload, Optional<WorkloadKind> kind, int minimum) {
        PodSpec spec = Workloads.podSpec(workload, kind).map(Workloads.Located::value).orElse(null);
        if (spec == null) {
            return Optional.empty();
        }
        String record = " Otherwise keep 1 replica and record that decision in the policy: an override matching this "
                + workload.getKind() + " (objectLabels) with minReplicas: {minimum: 1} or {mode: warn}, or the "
                + "haguard.dev/exempt: \"true\" label where the policy honours it.";
        List<String> claims = spec.getVolumes() == null ? List.of() : spec.getVolumes().stream()
                .filter(v -> v.getPersistentVolumeClaim() != null).map(Volume::getPersistentVolumeClaim)
                .map(c -> "\"" + c.getClaimName() + "\"").toList();
        if (!claims.isEmpty() && !(workload instanceof StatefulSet)) {
            return Optional.of("Its pods mount PersistentVolumeClaim " + String.join(", ", claims) + ", which every "
                    + "replica would share: if it is ReadWriteOnce, a second pod fails to start (Multi-Attach error), "
                    + "and two writers on one volume diverge. Fix: for software that replicates itself, a StatefulSet "
                    + "with volumeClaimTemplates (one claim per pod) and " + minimum + " or more replicas with the "
                    + "software's replication turned on; for a ReadWriteMany claim and software made for shared "
                    + "storage, set spec.replicas: " + minimum + "." + record);
        }
        Optional<String> database = database(spec);
        boolean ownStorage = workload instanceof StatefulSet s && s.getSpec() != null
                && s.getSpec().getVolumeClaimTemplates() != null && !s.getSpec().getVolumeClaimTemplates().isEmpty();
        if (database.isPresent() || ownStorage) {
            String what = database.map(image -> "It runs " + image).orElse("Its pods keep state in their own claims");
            return Optional.of(what + ": a second replica without the software's own replication is a second, "
                    + "diverging copy of the data, not a standby. Fix: set spec.replicas: " + minimum + " together "
                    + "with the software's replication (its operator or chart's replication settings), with "
                    + "volumeClaimTemplates so each replica has its own volume." + record);
        }
        return Optional.empty();
    }

    private static Optional<String> database(PodSpec spec) {
        return spec.getContainers() == null ? Optional.empty() : spec.getContainers().stream()
                .map(Container::getImage).filter(image -> image != null && DATABASES.contains(name(image)))
                .findFirst().map(image -> "\"" + image + "\"");
    }

    /** "docker.io/library/postgres:16@sha256:..." to "postgres". */
    private static String name(String image) {
        String path = image.split("@", 2)[0];
        String last = path.substring(path.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        return (colon < 0 ? last : last.substring(0, colon)).toLowerCase(Locale.ROOT);
    }
}
