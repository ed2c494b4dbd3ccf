package dev.haguard.rules.backups;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a Velero Schedule backs up a namespace's data, with Velero's own semantics (../shared/crds README, from
 * Velero's sources): it is not paused; the namespace matches an includedNamespaces glob (none, or *, means all) and
 * no excludedNamespaces glob (excludes win); its volumes are backed up (snapshotVolumes not false, or
 * defaultVolumesToFsBackup true); includedResources, if set, keeps PersistentVolumeClaims and PersistentVolumes, and
 * excludedResources does not drop them. A labelSelector or orLabelSelectors narrows it to some objects: partial.
 */
public final class VeleroSchedules {

    private static final Set<String> VOLUME_RESOURCES = Set.of("persistentvolumeclaims", "pvc", "persistentvolumes",
            "pv");

    /** How much of a namespace's data a schedule backs up. */
    public enum Cover { FULL, PARTIAL, NONE }

    private VeleroSchedules() {
    }

    /** How much of {@code namespace}'s data {@code schedule} backs up. */
    public static Cover covers(JsonNode schedule, String namespace) {
        JsonNode spec = schedule.path("spec");
        return spec.path("paused").asBoolean(false) ? Cover.NONE : template(spec.path("template"), namespace);
    }

    /** How much of {@code namespace}'s data a Backup holds: its spec is a Schedule's template. */
    public static Cover holds(JsonNode backup, String namespace) {
        return template(backup.path("spec"), namespace);
    }

    private static Cover template(JsonNode template, String namespace) {
        List<String> included = texts(template.path("includedNamespaces"));
        boolean in = included.isEmpty() || included.stream().anyMatch(g -> glob(g, namespace));
        if (!in) {
            return Cover.NONE;
        }
        List<String> excluded = texts(template.path("excludedNamespaces"));
        if (excluded.stream().anyMatch(g -> glob(g, namespace))) {
            return Cover.NONE;
        }
        boolean snapshots = !template.path("snapshotVolumes").isBoolean() || template.path("snapshotVolumes").asBoolean();
        if (!snapshots && !template.path("defaultVolumesToFsBackup").asBoolean(false)) {
            return Cover.NONE;
        }
        List<String> resources = texts(template.path("includedResources"));
        if (!resources.isEmpty() && !resources.contains("*") && resources.stream().noneMatch(VOLUME_RESOURCES::contains)) {
            return Cover.NONE;
        }
        List<String> dropped = texts(template.path("excludedResources"));
        if (dropped.stream().anyMatch(VOLUME_RESOURCES::contains)) {
            return Cover.NONE;
        }
        if (template.has("labelSelector") || template.path("orLabelSelectors").size() > 0) {
            return Cover.PARTIAL;
        }
        return Cover.FULL;
    }

    /** Velero's namespace globs (gobwas/glob): * any run, ? one character, [abc] a class, {a,b} alternatives. */
    static boolean glob(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[', ']' -> regex.append(c);
                case '{' -> regex.append("(?:");
                case '}' -> regex.append(')');
                case ',' -> regex.append(pattern.indexOf('{') >= 0 ? "|" : ",");
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return value.matches(regex.toString());
        } catch (java.util.regex.PatternSyntaxException e) {
            return pattern.equals(value);
        }
    }

    /** metadata.name of a Velero object. */
    public static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
