package dev.haguard.bench;

import dev.haguard.codec.ReviewCodec;
import dev.haguard.engine.Admission;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.Policy;
import dev.haguard.rules.StandardRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The engine without HTTP: {@code evaluate} is rule evaluation and patch generation for one parsed review,
 * {@code decode} is reading the review. Run by bench/run.sh from the repository root, per bench payload.
 */
@State(Scope.Benchmark)
public class EngineBenchmark {

    @Param({"pod-spread.mutate", "deployment-denied.validate", "configmap-immutable.validate", "pod-compliant.mutate"})
    public String payload;

    private byte[] body;
    private Admission admission;
    private Webhook webhook;
    private Policy policy;
    private AdmissionEngine engine;

    @Setup
    public void setUp() throws IOException {
        body = Files.readAllBytes(BenchPayloadsTest.payload(payload + ".json"));
        admission = ReviewCodec.read(body);
        webhook = payload.endsWith(".mutate") ? Webhook.MUTATE : Webhook.VALIDATE;
        policy = StandardRules.DEFAULT.parser().packagedDefault();
        engine = StandardRules.DEFAULT.engine();
    }

    @Benchmark
    public Decision evaluate() {
        return engine.decide(admission, policy, webhook);
    }

    @Benchmark
    public Admission decode() {
        return ReviewCodec.read(body);
    }
}
