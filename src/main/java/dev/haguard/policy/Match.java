package dev.haguard.policy;

import java.util.List;
import java.util.Map;

/**
 * Which admissions an override applies to. Every criterion given must hold; a list of namespaces matches
 * when any of its globs does; label maps match when the labels hold every pair.
 *
 * @param namespaces globs of namespace names
 * @param namespaceLabels labels the namespace must carry (read from ha-guard's cached view of Namespaces)
 * @param objectLabels labels the object itself must carry
 */
public record Match(List<Glob> namespaces, Map<String, String> namespaceLabels, Map<String, String> objectLabels) {

    public Match {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        namespaceLabels = namespaceLabels == null ? Map.of() : Map.copyOf(namespaceLabels);
        objectLabels = objectLabels == null ? Map.of() : Map.copyOf(objectLabels);
        PolicyException.require(!namespaces.isEmpty() || !namespaceLabels.isEmpty() || !objectLabels.isEmpty(), "",
                "needs at least one of namespaces, namespaceLabels, objectLabels");
    }

    public boolean matches(String namespace, Map<String, String> nsLabels, Map<String, String> labels) {
        return (namespaces.isEmpty() || namespaces.stream().anyMatch(g -> g.matches(namespace)))
                && nsLabels.entrySet().containsAll(namespaceLabels.entrySet())
                && labels.entrySet().containsAll(objectLabels.entrySet());
    }
}
