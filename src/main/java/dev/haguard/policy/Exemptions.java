package dev.haguard.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * What is never judged, and who may bypass a denial.
 *
 * @param namespaces globs of namespaces whose objects no rule touches
 * @param objectLabel where the object label haguard.dev/exempt: "true" is honoured
 * @param breakGlass users and groups whose requests are judged and recorded, but never denied
 */
public record Exemptions(List<Glob> namespaces, ObjectLabel objectLabel, BreakGlass breakGlass) {

    public static final String LABEL = "haguard.dev/exempt";

    /** Kubernetes' own namespaces: judging them could lock the cluster out. */
    private static final List<Glob> SYSTEM_NAMESPACES = List.of(new Glob("kube-system"), new Glob("kube-public"),
            new Glob("kube-node-lease"));

    public static final Exemptions BUILT_IN = new Exemptions(null, null, null);

    /** @param namespaces globs of namespaces where the label is honoured; none by default */
    public record ObjectLabel(List<Glob> namespaces) {
        public ObjectLabel {
            namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        }
    }

    public record BreakGlass(List<String> users, List<String> groups) {
        public BreakGlass {
            users = users == null ? List.of() : List.copyOf(users);
            groups = groups == null ? List.of() : List.copyOf(groups);
        }

        public boolean covers(String user, List<String> userGroups) {
            return users.contains(user) || userGroups.stream().anyMatch(groups::contains);
        }
    }

    public Exemptions {
        namespaces = namespaces == null ? SYSTEM_NAMESPACES : List.copyOf(namespaces);
        objectLabel = objectLabel == null ? new ObjectLabel(null) : objectLabel;
        breakGlass = breakGlass == null ? new BreakGlass(null, null) : breakGlass;
    }

    /** Why no exemptible rule judges what is in {@code namespace}, or null when the namespace is not exempt. */
    public String namespaceExempt(String namespace) {
        return namespaces.stream().anyMatch(g -> g.matches(namespace)) ? "namespace " + namespace
                + " is exempt in the policy" : null;
    }

    /** Why no exemptible rule judges an object with these labels in {@code namespace}; null when the rules apply. */
    public String exempt(String namespace, java.util.Map<String, String> labels) {
        String why = namespaceExempt(namespace);
        if (why != null) {
            return why;
        }
        return labelHonoured(namespace) && "true".equals(labels.get(LABEL)) ? LABELLED : null;
    }

    /** Whether the exempt label counts in {@code namespace}. */
    public boolean labelHonoured(String namespace) {
        return objectLabel.namespaces().stream().anyMatch(g -> g.matches(namespace));
    }

    /** Why an object the label exempts is not judged. */
    public static final String LABELLED = "object is labelled " + LABEL + ": \"true\"";

    /**
     * These exemptions with ha-guard's own namespace added: judging it could lock ha-guard itself out, so no policy
     * can leave it out (the webhook configurations in deploy/ never send it either).
     */
    Exemptions withOwnNamespace(String ownNamespace) {
        if (namespaces.stream().anyMatch(g -> g.toString().equals(ownNamespace))) {
            return this;
        }
        List<Glob> withOwn = new ArrayList<>(namespaces);
        withOwn.add(new Glob(ownNamespace));
        return new Exemptions(withOwn, objectLabel, breakGlass);
    }
}
