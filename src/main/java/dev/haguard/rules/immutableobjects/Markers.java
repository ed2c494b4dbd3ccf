package dev.haguard.rules.immutableobjects;

import dev.haguard.rules.common.Workloads;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** How an object says it is immutable infrastructure. */
final class Markers {

    static final String LABEL = "haguard.dev/immutable";
    static final String CONFIGMAP_KEY = "infrastructure";

    private Markers() {
    }

    static boolean immutable(HasMetadata object) {
        if (object == null) {
            return false;
        }
        if ("true".equals(Workloads.labels(object).get(LABEL))) {
            return true;
        }
        return object instanceof ConfigMap cm && cm.getData() != null
                && "immutable".equals(cm.getData().get(CONFIGMAP_KEY));
    }

    static String describe(HasMetadata object) {
        return "true".equals(Workloads.labels(object).get(LABEL)) ? ImmutableObjectsWords.LABEL_MARKER : ImmutableObjectsWords.DATA_MARKER;
    }
}
