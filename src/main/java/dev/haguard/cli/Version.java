package dev.haguard.cli;

import picocli.CommandLine;

/** What {@code --version} prints, for the top level and every verb: the version in the jar's manifest. */
public final class Version implements CommandLine.IVersionProvider {

    public static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return "ha-guard " + (version == null ? "(development build, no jar manifest)" : version);
    }

    @Override
    public String[] getVersion() {
        return new String[] {current()};
    }
}
