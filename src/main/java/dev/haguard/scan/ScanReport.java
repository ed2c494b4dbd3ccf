package dev.haguard.scan;

import dev.haguard.engine.Measure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one scan found, with a DR readiness score per namespace and for the cluster: the share of judged subjects with
 * no medium or high finding, 0 to 100. A "would add" or audit-only finding does not lower it; one warning or denial
 * takes the subject out.
 *
 * @param findings every finding, by namespace ("" first: the cluster's), most severe first
 * @param objects judged subjects per namespace (the cluster's own findings count in no namespace)
 * @param clean of those, the ones without a medium or high finding
 * @param notJudged objects not judged themselves, by why
 * @param failed the what-if's failure domains, as asked ("zone=a")
 * @param whatIf what failing them would take down, most severe first
 * @param measures what the rules measured of the namespaces they judged (backup and drill ages against objectives)
 */
public record ScanReport(Instant at, List<ScanFinding> findings, Map<String, Integer> objects, Map<String, Integer> clean,
        Map<String, Integer> notJudged, List<String> failed, List<ScanFinding> whatIf, List<Measure> measures) {

    /**
     * The report of these findings about these subjects ("Kind/namespace/name" keys of everything judged, findings or
     * not).
     */
    static ScanReport of(Instant at, List<ScanFinding> found, Set<String> judged, Map<String, Integer> notJudged,
            List<String> failed, List<ScanFinding> whatIf, List<Measure> measures) {
        Map<String, Set<String>> subjects = new TreeMap<>();
        Set<String> dirty = new HashSet<>();
        for (String key : judged) {
            subjects.computeIfAbsent(namespaceOf(key), n -> new TreeSet<>()).add(key);
        }
        for (ScanFinding f : found) {
            subjects.computeIfAbsent(f.namespace(), n -> new TreeSet<>()).add(f.key());
            if (f.severity() != Severity.low) {
                dirty.add(f.key());
            }
        }
        subjects.remove("");
        Map<String, Integer> objects = new TreeMap<>();
        Map<String, Integer> clean = new TreeMap<>();
        subjects.forEach((ns, keys) -> {
            objects.put(ns, keys.size());
            clean.put(ns, (int) keys.stream().filter(k -> !dirty.contains(k)).count());
        });
        List<ScanFinding> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparing(ScanFinding::namespace).thenComparing(ScanFinding::severity,
                Comparator.reverseOrder()).thenComparing(ScanFinding::object));
        // Sorted maps, not Map.copyOf: its order changes from one run to the next, and so did the report's namespaces.
        return new ScanReport(at, List.copyOf(sorted), java.util.Collections.unmodifiableMap(objects),
                java.util.Collections.unmodifiableMap(clean), java.util.Collections.unmodifiableMap(new TreeMap<>(
                notJudged)), List.copyOf(failed), List.copyOf(whatIf), List.copyOf(measures));
    }

    private static String namespaceOf(String key) {
        int first = key.indexOf('/');
        return key.substring(first + 1, key.indexOf('/', first + 1));
    }

    /** DR readiness: the share of {@code objects} that are clean, 0 to 100 (100 with nothing judged). */
    public static int score(int clean, int objects) {
        return objects == 0 ? 100 : Math.round(100f * clean / objects);
    }

    /** DR readiness per namespace. */
    public Map<String, Integer> scores() {
        Map<String, Integer> scores = new TreeMap<>();
        objects.forEach((ns, n) -> scores.put(ns, score(clean.getOrDefault(ns, 0), n)));
        return scores;
    }

    /** DR readiness of the cluster: over every judged subject. */
    public int clusterScore() {
        return score(clean.values().stream().mapToInt(Integer::intValue).sum(),
                objects.values().stream().mapToInt(Integer::intValue).sum());
    }

    /** The findings of one namespace ("" for the cluster's). */
    public List<ScanFinding> in(String namespace) {
        return findings.stream().filter(f -> f.namespace().equals(namespace)).toList();
    }
}
