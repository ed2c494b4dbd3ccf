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

    /** How fabric8 names a custom resource a rule declares. */
    static ResourceDefinitionContext context(dev.haguard.engine.ApiKind kind) {
        return new ResourceDefinitionContext.Builder().withGroup(kind.group()).withVersion(kind.version())
                .withKind(kind.kind()).withPlural(kind.plural()).withNamespaced(kind.namespaced()).build();
    }

    private static ResourceDefinitionContext of(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("velero.io").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
