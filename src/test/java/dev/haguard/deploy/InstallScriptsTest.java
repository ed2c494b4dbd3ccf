package dev.haguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The install and uninstall scripts, against a kubectl stand-in that records what it is asked. */
class InstallScriptsTest {

    @TempDir
    Path bin;

    private Path calls;

    private List<String> run(String... command) throws Exception {
        calls = bin.resolve("calls.log");
        Path kubectl = bin.resolve("kubectl");
        Files.writeString(kubectl, """
                #!/usr/bin/env bash
                echo "$*" >> "%s"
                if [ "$1" = get ]; then
                  case "$2" in
                    mutatingwebhookconfiguration) echo "mutate.ha-guard.dev" ;;
                    validatingwebhookconfiguration) echo "validate.ha-guard.dev immutable.ha-guard.dev policy.ha-guard.dev" ;;
                  esac
                fi
                if [ "$1" = create ]; then cat <<'YAML'
                apiVersion: v1
                kind: Secret
                YAML
                fi
                exit 0
                """.formatted(calls));
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return Files.readAllLines(calls);
    }

    @Test
    void install_without_cert_manager_creates_the_secret_and_a_ca_bundle_for_every_webhook() throws Exception {
        List<String> calls = run("bash", "certs/install-without-cert-manager.sh");

        assertThat(calls).anySatisfy(c -> assertThat(c).startsWith("-n ha-guard create secret tls ha-guard-tls --cert="));
        assertThat(calls).contains("apply -k deploy/no-cert-manager");
        String mutating = calls.stream().filter(c -> c.startsWith("patch mutatingwebhookconfiguration ha-guard")).findFirst()
                .orElseThrow();
        String validating = calls.stream().filter(c -> c.startsWith("patch validatingwebhookconfiguration ha-guard"))
                .findFirst().orElseThrow();
        assertThat(mutating).contains("/webhooks/0/clientConfig/caBundle").doesNotContain("/webhooks/1/");
        assertThat(validating).contains("/webhooks/0/", "/webhooks/1/", "/webhooks/2/").doesNotContain("/webhooks/3/");
        String bundle = validating.replaceAll(".*\"value\":\"([^\"]+)\".*", "$1");
        assertThat(new String(Base64.getDecoder().decode(bundle))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(calls.indexOf("apply -k deploy/no-cert-manager")).isLessThan(calls.indexOf(mutating));
    }

    @Test
    void uninstall_removes_the_webhook_configurations_before_anything_else() throws Exception {
        List<String> calls = run("bash", "deploy/uninstall.sh");

        assertThat(calls).containsExactly(
                "delete mutatingwebhookconfiguration ha-guard --ignore-not-found",
                "delete validatingwebhookconfiguration ha-guard --ignore-not-found",
                "delete -k deploy/ --ignore-not-found");
    }
}
