package dev.haguard.rules.databasestorage;

import dev.haguard.rules.common.Databases;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Where a database container keeps its data, and whether a volume that outlives the pod holds it. */
final class DataDirectories {

    /**
     * A database container whose data does not survive its pod: {@code volume} names the volume that holds the data
     * directory (null: none does), {@code kind} what it is ("emptyDir", "ephemeral").
     */
    record Lost(String container, String image, String directory, String volume, String kind) {

        String message(boolean statefulSet) {
            String where = volume == null ? "which no volume holds: the data lives in the container's writable layer, "
                    + "which a restart of the container, let alone a reschedule, empties"
                    : "on " + kind + " volume " + volume + ", which is deleted with the pod: a reschedule, an eviction "
                            + "or the loss of its node empties it";
            String fix = statefulSet ? "add a volumeClaimTemplate and mount it at " + directory + " in container "
                    + container + " (volumeMounts: [{name: data, mountPath: " + directory + "}])"
                    : "keep the data on a PersistentVolumeClaim: a StatefulSet with volumeClaimTemplates mounted at "
                            + directory + " (one volume per replica), or a persistentVolumeClaim volume for a single "
                            + "replica";
            return "container " + container + " runs \"" + image + "\", which keeps its data in " + directory + ", "
                    + where + ", and every row with it; a backup does not help, since Velero backs up volumes. Fix: "
                    + fix + ". If it only caches what can be rebuilt, record that in the policy: an override with "
                    + "databaseStorage: {mode: off} for it.";
        }
    }

    private DataDirectories() {
    }

    /**
     * The first database container whose data would not outlive its pod; {@code claimTemplates}: a StatefulSet's. A
     * container that mounts any volume that lasts (a claim, a claim template, hostPath, a CSI or network volume) is
     * taken to keep its data there: an image may be built to use another directory than its defaults.
     */
    static Optional<Lost> lost(PodSpec spec, List<String> claimTemplates) {
        for (Container c : Objects.requireNonNullElse(spec.getContainers(), List.<Container>of())) {
            String image = c.getImage() == null ? "" : c.getImage();
            List<String> directories = directories(c, Databases.name(image));
            List<VolumeMount> mounts = Objects.requireNonNullElse(c.getVolumeMounts(), List.of());
            if (directories.isEmpty() || mounts.stream().anyMatch(m -> lasts(spec, m.getName(), claimTemplates))) {
                continue;
            }
            for (String directory : directories) {
                VolumeMount mount = covering(mounts, directory);
                String kind = mount == null ? null : shortLived(spec, mount.getName());
                if (kind != null) {
                    return Optional.of(new Lost(c.getName(), image, directory, mount.getName(), kind));
                }
            }
            return Optional.of(new Lost(c.getName(), image, directories.get(0), null, null));
        }
        return Optional.empty();
    }

    /** The data directories of a container: the one its environment sets, else its image's defaults. */
    private static List<String> directories(Container c, String name) {
        List<String> defaults = Databases.DATA.getOrDefault(name, List.of());
        String variable = Databases.DATA_ENV.get(name);
        if (defaults.isEmpty() || variable == null || c.getEnv() == null) {
            return defaults;
        }
        return c.getEnv().stream().filter(e -> variable.equals(e.getName()) && e.getValue() != null
                && e.getValue().startsWith("/")).map(EnvVar::getValue).findFirst()
                .map(v -> List.of(v.split(",")[0])).orElse(defaults);
    }

    /** The most specific mount that holds {@code directory}, or null. */
    private static VolumeMount covering(List<VolumeMount> mounts, String directory) {
        VolumeMount best = null;
        int bestLength = -1;
        for (VolumeMount m : mounts) {
            // A mount without a path (the API server refuses one) holds everything: AdmissionFuzzTest found the
            // second such mount compared against the first's missing path.
            String path = m.getMountPath() == null ? "" : m.getMountPath().replaceAll("/+$", "");
            boolean holds = directory.equals(path) || directory.startsWith(path + "/") || path.isEmpty();
            if (holds && path.length() > bestLength) {
                best = m;
                bestLength = path.length();
            }
        }
        return best;
    }

    /** What kind of short-lived volume {@code name} is ("emptyDir", "ephemeral"), or null for any other. */
    private static String shortLived(PodSpec spec, String name) {
        Volume v = volume(spec, name);
        return v == null ? null : v.getEmptyDir() != null ? "emptyDir" : v.getEphemeral() != null ? "ephemeral" : null;
    }

    /** Whether volume {@code name} outlives the pod: a claim template, or a volume that is neither short-lived nor config. */
    private static boolean lasts(PodSpec spec, String name, List<String> claimTemplates) {
        if (name == null) {
            return false; // a mount without a name, which the API server refuses: nothing lasts there
        }
        if (claimTemplates.contains(name)) {
            return true;
        }
        Volume v = volume(spec, name);
        return v != null && v.getEmptyDir() == null && v.getEphemeral() == null && v.getConfigMap() == null
                && v.getSecret() == null && v.getDownwardAPI() == null && v.getProjected() == null;
    }

    private static Volume volume(PodSpec spec, String name) {
        return Objects.requireNonNullElse(spec.getVolumes(), List.<Volume>of()).stream()
                .filter(v -> v.getName() != null && v.getName().equals(name)).findFirst().orElse(null);
    }
}
