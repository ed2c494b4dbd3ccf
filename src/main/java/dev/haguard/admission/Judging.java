package dev.haguard.admission;

import dev.haguard.codec.ReviewCodec;
import dev.haguard.engine.Admission;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.ClusterView;
import java.util.function.Supplier;

/** The call itself: the review decoded, and the engine's decision on it with the cluster as the caches know it. */
public final class Judging implements Handler {

    private final AdmissionEngine engine;
    private final Supplier<ClusterView> cluster;

    public Judging(AdmissionEngine engine, Supplier<ClusterView> cluster) {
        this.engine = engine;
        this.cluster = cluster;
    }

    @Override
    public Answer handle(Request request) {
        Admission admission = ReviewCodec.read(request.body());
        return new Answer(admission, engine.decide(admission, request.policy().policy(), request.webhook(),
                cluster.get()));
    }
}
