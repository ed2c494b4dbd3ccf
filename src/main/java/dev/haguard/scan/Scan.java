package dev.haguard.scan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haguard.cluster.Kept;
import dev.haguard.engine.AdmissionEngine;
import dev.haguard.engine.Decision;
import dev.haguard.engine.Finding;
import dev.haguard.engine.Outcome;
import dev.haguard.engine.Rule;
import dev.haguard.engine.RuleDecision;
import dev.haguard.engine.Measure;
import dev.haguard.engine.StateFinding;
import dev.haguard.engine.Stored;
import dev.haguard.engine.Webhook;
import dev.haguard.policy.Mode;
import dev.haguard.policy.Policy;
import dev.haguard.policy.RuleConfig;
import dev.haguard.rules.StandardRules;
import dev.haguard.rules.placement.WhatIf;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The scan: what already runs (or a dump of it), judged through the same engine and path as check, as the CREATE of
 * what is stored, then by each rule's judgement of stored state as a whole (placement, backups, budgets' status).
 * Every finding goes through the policy: its scope where the subject is, the exemptions, the rule's mode. Used by
 * {@code ha-guard scan} and by the server's background scan alike.
 */
public final class Scan {

    private Scan() {
    }

    /** The scan of objects read from the API server, with no what-if. */
    public static ScanReport of(Iterable<? extends HasMetadata> objects, StandardRules standard, Policy policy,
            Instant now, boolean veleroInstalled) {
        List<Document> docs = new ArrayList<>();
        objects.forEach(o -> docs.add(Document.of(o)));
        return live(docs, new Stored(docs.stream().map(Document::content).toList(), now, veleroInstalled), standard,
                policy);
    }

    /**
     * The scan of what the background scan's informers hold, with no what-if: each object is built from its compact
     * state when the scan reaches it and let go after, so the scan holds one object's tree at a time, not the
     * cluster's.
     */
    public static ScanReport of(Stored.Source source, StandardRules standard, Policy policy, Instant now,
            boolean veleroInstalled) {
        // Kind by kind, each object built when reached (a flatMapped stream's iterator would build a kind at once).
        Iterable<Document> docs = () -> new java.util.Iterator<>() {
            private final java.util.Iterator<String> kinds = source.kinds().iterator();
            private java.util.Iterator<JsonNode> objects = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!objects.hasNext() && kinds.hasNext()) {
                    objects = source.of(kinds.next()).iterator();
                }
                return objects.hasNext();
            }

            @Override
            public Document next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return Document.of(objects.next());
            }
        };
        return live(docs, new Stored(source, now, veleroInstalled), standard, policy);
    }

    private static ScanReport live(Iterable<Document> docs, Stored stored, StandardRules standard, Policy policy) {
        try {
            return judge(docs, stored, standard, policy, List.of(), note -> { });
        } catch (UnusableInput e) { // objects from an API server always have a kind and metadata: not expected
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * The what-if's failure domains as given on the command line (node=NAME, zone=ZONE, region=REGION), checked
     * against the Nodes in {@code docs}: a malformed one, or one no node has, is unusable input naming the known ones.
     */
    public static List<WhatIf.Domain> domains(List<String> failed, List<Document> docs) throws UnusableInput {
        return domains(failed, new Stored(docs.stream().map(Document::content).toList(), Instant.EPOCH, null));
    }

    private static List<WhatIf.Domain> domains(List<String> failed, Stored stored) throws UnusableInput {
        List<WhatIf.Domain> domains = new ArrayList<>();
        try {
            failed.forEach(f -> domains.add(WhatIf.Domain.parse(f)));
        } catch (IllegalArgumentException e) {
            throw new UnusableInput(e.getMessage());
        }
        String unknown = WhatIf.unknown(domains, stored);
        if (unknown != null) {
            throw new UnusableInput(unknown);
        }
        return domains;
    }

    /**
     * @param veleroInstalled whether a live cluster serves Velero's CRDs; null when not known (a dump)
     * @param failed the what-if's failure domains (node=NAME, zone=ZONE, region=REGION); none for no what-if
     * @param notes what was skipped in a folder, and why
     */
    public static ScanReport judge(List<Document> docs, StandardRules standard, Policy policy, Instant now,
            Boolean veleroInstalled, List<String> failed, Consumer<String> notes) throws UnusableInput {
        Stored stored = new Stored(docs.stream().map(Document::content).toList(), now, veleroInstalled);
        return judge(docs, stored, standard, policy, domains(failed, stored), notes);
    }

    /** As {@link #judge}, with a dump's managed objects held apart ({@link Held}: never Documents). */
    public static ScanReport judge(List<Document> docs, Held held, StandardRules standard, Policy policy, Instant now,
            Boolean veleroInstalled, List<String> failed, Consumer<String> notes) throws UnusableInput {
        Stored stored = new Stored(docs.stream().map(Document::content).toList(), held, now, veleroInstalled);
        ScanReport report = judge(docs, stored, standard, policy, domains(failed, stored), notes);
        Map<String, Integer> notJudged = new HashMap<>(report.notJudged());
        held.counts().forEach((kind, n) -> notJudged.merge(managed(kind), n, Integer::sum));
        return new ScanReport(report.at(), report.findings(), report.objects(), report.clean(),
                java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(notJudged)), report.failed(),
                report.whatIf(), report.measures());
    }

    /** The kinds whose objects a controller manages are judged on that controller, not themselves. */
    static final Set<String> JUDGED_ON_CONTROLLER = Set.of("Pod", "ReplicaSet", "Job");

    private static String managed(String kind) {
        return kind + " managed by a controller (judged on the controller)";
    }

    /**
     * Two passes over {@code docs}, neither holding them: the first learns what the judged objects tell of the
     * cluster, the second judges each and keeps only its findings. Then each rule judges stored state as a whole.
     */
    private static ScanReport judge(Iterable<Document> docs, Stored stored, StandardRules standard, Policy policy,
            List<WhatIf.Domain> domains, Consumer<String> notes) throws UnusableInput {
        Map<String, Integer> notJudged = new HashMap<>();
        Set<String> judges = kinds(standard.judged());
        Set<String> reads = kinds(standard.read());
        Checker.Run run = new Checker(standard, policy, EnumSet.allOf(Webhook.class), "default").run();
        for (Document doc : docs) {
            String why = skip(doc, policy, judges, reads);
            if (why == null) {
                run.learn(doc);
            } else {
                notJudged.merge(why, 1, Integer::sum);
            }
        }
        Set<String> subjects = new HashSet<>();
        List<Pending> pending = new ArrayList<>();
        for (Document doc : docs) {
            if (skip(doc, policy, judges, reads) == null) {
                Verdict v = run.check(doc, notes);
                if (v != null) {
                    subjects.add(key(v));
                    pending.addAll(findings(v));
                }
            }
        }
        List<ScanFinding> found = new ArrayList<>();
        Set<String> reported = new HashSet<>(); // "rule Kind/ns/name check" of what a request showed
        for (Pending p : pending) {
            // Said once, on the object whose change fixes it, where that object is judged too.
            if (p.concerns() == null || !subjects.contains(p.concerns())) {
                found.add(p.finding());
                reported.add(p.finding().rule() + " " + p.finding().key() + " " + p.finding().check());
            }
        }
        // What stored state shows that a request already showed (a budget blocking drains) is said once.
        List<Measure> measures = new ArrayList<>();
        for (Rule<?> rule : standard.rules()) {
            for (ScanFinding f : stored(rule, stored, policy, measures)) {
                if (f.severity() == null) {
                    subjects.add(f.key());
                } else if (f.check().isEmpty() || !reported.contains(f.rule() + " " + f.key() + " " + f.check())) {
                    found.add(f);
                }
            }
        }
        List<ScanFinding> whatIf = WhatIf.of(stored, domains).stream().map(l -> new ScanFinding(l.namespace(),
                apiVersion(stored, l.namespace(), l.kind(), l.name()), l.kind(), l.name(), "", "what-if",
                switch (l.impact()) {
                    case OUTAGE -> Severity.high;
                    case BELOW_BUDGET -> Severity.medium;
                    case DEGRADED -> Severity.low;
                    case CAPACITY -> Severity.medium;
                }, l.message(), "")).toList();
        return ScanReport.of(stored.now(), found, subjects, notJudged, domains.stream().map(WhatIf.Domain::toString)
                .toList(), whatIf, measures);
    }

    /** A finding of the request path, with the object ("Kind/ns/name") whose change fixes it, if another. */
    private record Pending(ScanFinding finding, String concerns) {
    }

    /** The findings of one object's verdict. */
    private static List<Pending> findings(Verdict v) {
        List<Pending> out = new ArrayList<>();
        JsonNode o = v.doc().content();
        String ns = v.admission().namespace();
        String apiVersion = o.path("apiVersion").asText();
        String uid = o.path("metadata").path("uid").asText("");
        if (v.unserved() != null) {
            out.add(new Pending(new ScanFinding(ns, apiVersion, v.admission().kind(), v.admission().name(), uid,
                    "apiVersion", Severity.high, v.unserved().message(), ""), null));
        }
        for (Decision d : v.decisions()) {
            for (RuleDecision rule : d.rules()) {
                Severity severity = Severity.of(rule.outcome());
                if (severity == null) {
                    continue;
                }
                out.add(new Pending(new ScanFinding(ns, apiVersion, v.admission().kind(), v.admission().name(), uid,
                        rule.rule(), severity, rule.outcome() == Outcome.MUTATE ? "would add: " + rule.message()
                        : rule.message(), rule.facts().getOrDefault(Finding.CHECK, "")),
                        rule.facts().get(Finding.CONCERNS)));
            }
        }
        return out;
    }

    /**
     * One rule's judgement of stored state, through the policy: exempt subjects dropped, the mode applied. A subject
     * judged sound comes back with no severity, to count as judged.
     */
    private static <C extends RuleConfig<C>> List<ScanFinding> stored(Rule<C> rule, Stored stored, Policy policy,
            List<Measure> measures) {
        Rule.ScopedSettings<C> settings = Rule.ScopedSettings.of(rule, stored, policy);
        List<ScanFinding> out = new ArrayList<>();
        for (StateFinding f : rule.judgeStored(stored, settings)) {
            JsonNode subject = stored.find(f.namespace(), f.kind(), f.name()).orElse(null);
            C config = settings.at(f.namespace(), subject == null || f.kind().equals("Namespace") ? Map.of()
                    : Stored.strings(subject.path("metadata").path("labels")));
            if (config == null || config.mode() == Mode.OFF) {
                continue;
            }
            measures.addAll(f.measures());
            Severity severity = f.verdict() == Finding.Kind.PASS ? null
                    : Severity.of(AdmissionEngine.outcome(f.verdict(), config.mode()));
            if (severity == null && f.verdict() != Finding.Kind.PASS) {
                continue;
            }
            out.add(new ScanFinding(f.namespace(), subject == null ? "" : subject.path("apiVersion").asText(),
                    f.kind(), f.name(), subject == null ? "" : subject.path("metadata").path("uid").asText(""),
                    rule.name(), severity, f.message(), f.check()));
        }
        return out;
    }

    private static String key(Verdict v) {
        return v.admission().kind() + "/" + v.admission().namespace() + "/" + v.admission().name();
    }

    /** "apiVersion/kind" of each scanned kind: ConfigMaps and Secrets are judged in manifests, never in a scan. */
    private static Set<String> kinds(Set<dev.haguard.engine.ApiKind> kinds) {
        Set<String> out = new HashSet<>();
        kinds.stream().filter(dev.haguard.engine.ApiKind::scanned).forEach(k -> out.add(k.apiVersion() + "/" + k.kind()));
        return out;
    }

    private static String apiVersion(Stored stored, String namespace, String kind, String name) {
        return stored.find(namespace, kind, name).map(o -> o.path("apiVersion").asText()).orElse("");
    }

    /**
     * Why an object is not judged itself, or null. Pods, ReplicaSets and Jobs a controller manages are judged on their
     * controller; kinds no rule covers are counted.
     */
    private static String skip(Document doc, Policy policy, Set<String> judges, Set<String> reads) {
        JsonNode o = doc.content();
        String kind = o.path("kind").asText();
        if (JUDGED_ON_CONTROLLER.contains(kind) && Kept.managed(o)) {
            return managed(kind);
        }
        String apiVersion = o.path("apiVersion").asText();
        if (reads.contains(apiVersion + "/" + kind)) {
            return kind + " (read for what the rules judge against)";
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        if (judges.contains(apiVersion + "/" + kind) || policy.workloadKind(group, Kinds.resource(kind)).isPresent()) {
            return null;
        }
        return kind + " (no rule judges it)";
    }
}
