package dev.haguard.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** ha-guard's own settings (application.properties, or environment variables such as HAGUARD_POLICY_FILE). */
@ConfigMapping(prefix = "haguard")
public interface HaGuardConfig {

    /** Where the policy comes from. */
    PolicySource policy();

    /** How admissions are served. */
    AdmissionSettings admission();

    interface AdmissionSettings {
        /**
         * A request that waited longer than this before ha-guard could start on it is answered at once per the
         * policy's onError instead of being evaluated: under overload, answer fast rather than past the API
         * server's webhook timeout (5 s in deploy/).
         */
        @WithDefault("1s")
        Duration queueDeadline();

        /**
         * How many bytes of admission bodies may be held at once, from arrival to answer; a request that would
         * exceed it is refused at once with HTTP 503 and the API server applies the webhook's failurePolicy. Judging
         * a review takes several times its size on the heap. Default: an eighth of the maximum heap.
         */
        Optional<MemorySize> bodyBudget();

        /**
         * Whether the admission port asks its clients for a TLS certificate, verified against the CA bundle in
         * quarkus.tls.https.trust-store.pem.certs (re-read with the serving certificate): none; request (a verified
         * subject is recorded with each decision); required (a client without such a certificate, or whose subject
         * allowed-subjects does not list, gets no answer and no record, only a counted, rate-limited log line).
         */
        @WithDefault("none")
        ClientAuth clientAuth();

        /**
         * Certificate subjects (RFC 2253, as in CN=kube-apiserver,O=system), separated by semicolons, allowed to call
         * the webhooks under client-auth required; unset: any certificate client-ca-file trusts.
         */
        Optional<String> allowedSubjects();

        /**
         * Which TLS implementation serves the admission port: openssl (BoringSSL through netty-tcnative, native code
         * whatever the JIT has compiled), jdk (the JDK's SSLEngine), or auto (openssl where its native library loads
         * on this platform, else jdk). The certificate, its reloading and client certificates work alike in both.
         */
        @WithDefault("auto")
        TlsEngine tlsEngine();
    }

    /** How the admission port treats client certificates. */
    enum ClientAuth { NONE, REQUEST, REQUIRED }

    /** The admission port's TLS implementation. */
    enum TlsEngine { AUTO, OPENSSL, JDK }

    /** The audit trail. */
    Audit audit();

    /** The CEL backstop in the cluster. */
    BackstopSettings backstop();

    interface BackstopSettings {
        /**
         * Whether one replica (chosen by the Lease ha-guard-backstop) keeps the ValidatingAdmissionPolicies that
         * export vap prints in the cluster, in step with the policy ConfigMap; needs RBAC on them
         * (deploy/components/backstop).
         */
        @WithDefault("false")
        boolean enabled();
    }

    /** The background scan (one replica, chosen by a Lease), its reports and metrics. */
    ScanSettings scan();

    interface ScanSettings {
        /** How often the leading replica re-scans the cluster from its informers; 0 turns the background scan off. */
        @WithDefault("10m")
        Duration interval();

        /**
         * Which reports it writes: policyreport (wgpolicyk8s.io/v1alpha2 PolicyReport and ClusterPolicyReport, what
         * Policy Reporter and kubectl get polr read) or openreports (openreports.io/v1alpha1 Report, its successor).
         */
        @WithDefault("policyreport")
        String reportApi();

        /**
         * The most objects the leader judges in one scan: a count that stops the scan before it lists, now that memory
         * is guarded by {@link #heapLimit()}. At least what Kubernetes' 150,000-pod envelope holds (219,000 objects in
         * bench/scan-heap.sh's shape). Above it the scan is skipped, logged and counted as failed.
         */
        @WithDefault("300000")
        int maxObjects();

        /**
         * How often the replicas that lead the scan and the backstop look for a policy change (and the backstop for an
         * HPA change) between their intervals: what such a change waits for at most.
         */
        @WithDefault("10s")
        Duration recheck();

        /**
         * The share of the heap's old generation above which, after a collection, the leader stops the scan's
         * informers (and skips the scan, logged and counted as failed) instead of running out of memory: the valve
         * that holds whatever the cluster's size.
         */
        @WithDefault("0.9")
        double heapLimit();
    }

    /**
     * The most time the warm-up may take before the server reports ready (it ends sooner once the JIT has settled);
     * 0 skips it, and the first requests pay for the JIT instead.
     */
    @WithName("warm-up")
    @WithDefault("5s")
    Duration warmUp();

    /** Benchmarking aids. */
    Bench bench();

    interface Bench {
        /** Serve POST /bench/baseline, the benchmark's do-nothing baseline (set by the bench profile only). */
        @WithDefault("false")
        boolean baseline();
    }

    interface Audit {
        /** Also append audit records to this file (rotated by size), besides the haguard.audit log category. */
        Optional<String> file();

        /** Rotate the file when it would grow past this size. */
        @WithDefault("10M")
        MemorySize maxFileSize();

        /** How many rotated files to keep (FILE.1 is the newest). */
        @WithDefault("5")
        int keepFiles();

        /**
         * Also record why each rule that does not judge this kind of request skipped it ("not judged by this rule:
         * CREATE of pods"). Off by default: those reasons follow from the policy, and were two thirds of each record.
         */
        @WithDefault("false")
        boolean skipReasons();
    }

    interface PolicySource {
        /** A policy YAML file to use instead of the packaged policies/default.yaml when no ConfigMap applies. */
        Optional<String> file();

        /** Watch the policy ConfigMap: {@code auto} (when running in a cluster or with a kubeconfig), {@code true}, {@code false}. */
        @WithDefault("auto")
        String watch();

        /** How long start-up waits for the first read of the ConfigMap before running on the file or packaged default. */
        @WithDefault("10s")
        Duration syncTimeout();

        /** The policy ConfigMap. */
        ConfigMapSource configmap();
    }

    interface ConfigMapSource {
        /** Its name. */
        @WithDefault("ha-guard-policies")
        String name();

        /** The data entry holding the policy YAML. */
        @WithDefault("policy.yaml")
        String key();

        /** Its namespace; by default the namespace ha-guard runs in (POD_NAMESPACE, else the service account's), else ha-guard. */
        Optional<String> namespace();
    }
}
