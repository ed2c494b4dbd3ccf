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

/**
 * Workloads for which "more replicas" is the wrong fix. Pods of a Deployment (or ReplicaSet, ReplicationController)
 * that mount a claim share it: a ReadWriteOnce claim stops the second pod with a Multi-Attach error, and two writers on
 * one volume diverge. A database with its own storage needs its own replication, not a second independent copy.
 */
final class SingleWriter {

    private SingleWriter() {
    }

    /** The advice to give instead of "set spec.replicas: N", or empty where raising replicas is the right fix. */
    static Optional<String> fix(HasMetadata workload, Optional<WorkloadKind> kind, int minimum) {
        PodSpec spec = Workloads.podSpec(workload, kind).map(Workloads.Located::value).orElse(null);
        if (spec == null) {
            return Optional.empty();
        }
        List<String> claims = spec.getVolumes() == null ? List.of() : spec.getVolumes().stream()
                .filter(v -> v.getPersistentVolumeClaim() != null).map(Volume::getPersistentVolumeClaim)
                .map(c -> "\"" + c.getClaimName() + "\"").toList();
        if (!claims.isEmpty() && !(workload instanceof StatefulSet)) {
            return Optional.of(Words.sharedClaims(String.join(", ", claims), workload.getKind(), minimum));
        }
        Optional<String> database = database(spec);
        boolean ownStorage = workload instanceof StatefulSet s && s.getSpec() != null
                && s.getSpec().getVolumeClaimTemplates() != null && !s.getSpec().getVolumeClaimTemplates().isEmpty();
        if (database.isPresent() || ownStorage) {
            return Optional.of(Words.ownData(database.map(Words::runs).orElse(Words.OWN_CLAIMS), workload.getKind(),
                    minimum));
        }
        return Optional.empty();
    }

    private static Optional<String> database(PodSpec spec) {
        return spec.getContainers() == null ? Optional.empty() : spec.getContainers().stream()
                .map(Container::getImage).filter(image -> image != null && Words.DATABASES.contains(name(image)))
                .findFirst();
    }

    /** "docker.io/library/postgres:16@sha256:..." to "postgres". */
    private static String name(String image) {
        String path = image.split("@", 2)[0];
        String last = path.substring(path.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        return (colon < 0 ? last : last.substring(0, colon)).toLowerCase(Locale.ROOT);
    }
}
