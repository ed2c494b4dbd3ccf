package dev.haguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import org.junit.jupiter.api.Test;

/** A developer's kubeconfig lets a local ha-guard read the cluster, never write to it. */
class WatchingTest {

    @Test
    void only_a_pod_or_an_explicit_true_writes() {
        assumeThat(System.getenv("KUBERNETES_SERVICE_HOST")).as("not running in a pod").isNull();

        assertThat(Watching.writes("auto")).isFalse();
        assertThat(Watching.writes("false")).isFalse();
        assertThat(Watching.writes("true")).isTrue();
    }
}
