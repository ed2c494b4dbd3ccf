package dev.haguard.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** Velero's resources (velero.io/v1, all namespaced), as its CRDs define them (../shared/crds/velero). */
public final class Velero {

    public static final ResourceDefinitionContext SCHEDULES = of("Schedule", "schedules");
    public static final ResourceDefinitionContext BACKUPS = of("Backup", "backups");
    public static final ResourceDefinitionContext RESTORES = of("Restore", "restores");
    public static final ResourceDefinitionContext LOCATIONS = of("BackupStorageLocation", "backupstoragelocations");

    private Velero() {
    }

    private static ResourceDefinitionContext of(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("velero.io").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
