package dev.haguard.rules.minreplicas;

import dev.haguard.policy.WorkloadKind;
import dev.haguard.rules.common.Workloads;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Optional;

/**
 * Workloads for which "more replicas" is the wrong fix, or not the whole one. Pods of a Deployment (or ReplicaSet,
 * ReplicationController) that mount a claim share it: a ReadWriteOnce claim stops the second pod with a Multi-Attach
 * error, and two writers on one volume diverge. A database with its own storage needs its own replication, not a
 * second independent copy. A controller without leader election (prometheus-operator, or one whose arguments turn it
 * off) would fight a second copy of itself; kube-state-metrics unsharded would export every metric twice.
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
            return Optional.of(MinReplicasWords.sharedClaims(String.join(", ", claims), workload.getKind(), minimum));
        }
        Optional<String> database = database(spec);
        boolean ownStorage = workload instanceof StatefulSet s && s.getSpec() != null
                && s.getSpec().getVolumeClaimTemplates() != null && !s.getSpec().getVolumeClaimTemplates().isEmpty();
        if (database.isPresent() || ownStorage) {
            return Optional.of(MinReplicasWords.ownData(database.map(MinReplicasWords::runs).orElse(MinReplicasWords.OWN_CLAIMS),
                    workload instanceof StatefulSet ? MinReplicasWords.onStatefulSet(minimum) : MinReplicasWords.toStatefulSet(minimum),
                    workload.getKind()));
        }
        return singleton(containers(spec), workload.getKind(), minimum);
    }

    /** A controller that must not, or cannot simply, run twice: by its image, or its arguments. */
    private static Optional<String> singleton(List<Container> containers, String kind, int minimum) {
        for (Container c : containers) {
            String image = c.getImage() == null ? "" : c.getImage();
            if (name(image).equals(MinReplicasWords.NO_ELECTION)) {
                return Optional.of(MinReplicasWords.noElection(image, kind));
            }
            if (name(image).equals(MinReplicasWords.METRICS) && (c.getArgs() == null || c.getArgs().stream()
                    .noneMatch(a -> a != null && (a.startsWith("--total-shards") || a.startsWith("--pod"))))) {
                return Optional.of(MinReplicasWords.unsharded(image, kind, minimum));
            }
        }
        for (Container c : containers) {
            for (List<String> line : java.util.Arrays.asList(c.getCommand(), c.getArgs())) {
                Optional<String> off = line == null ? Optional.empty()
                        : line.stream().filter(a -> a != null && MinReplicasWords.ELECTION_OFF.contains(a)).findFirst();
                if (off.isPresent()) {
                    return Optional.of(MinReplicasWords.electionOff(off.get(), minimum));
                }
            }
        }
        return Optional.empty();
    }

    private static List<Container> containers(PodSpec spec) {
        return spec.getContainers() == null ? List.of() : spec.getContainers();
    }

    private static Optional<String> database(PodSpec spec) {
        return spec.getContainers() == null ? Optional.empty() : spec.getContainers().stream()
                .map(Container::getImage).filter(image -> image != null && MinReplicasWords.DATABASES.contains(name(image)))
                .findFirst();
    }

    private static String name(String image) {
        return dev.haguard.rules.common.Databases.name(image);
    }
}
