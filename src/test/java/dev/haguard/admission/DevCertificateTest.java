package dev.haguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** certs/generate.sh (run by the build into target/test-certs) makes what a cluster and a laptop need. */
class DevCertificateTest {

    private static X509Certificate read(String name) throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("target/test-certs", name))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void serving_certificate_names_the_service_and_localhost_and_is_signed_by_the_ca() throws Exception {
        X509Certificate tls = read("tls.crt");
        X509Certificate ca = read("ca.crt");

        List<String> names = tls.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
        assertThat(names).containsExactlyInAnyOrder("localhost", "127.0.0.1", "ha-guard.ha-guard.svc",
                "ha-guard.ha-guard.svc.cluster.local");
        tls.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(tls.getBasicConstraints()).isEqualTo(-1);
        assertThat(Files.getPosixFilePermissions(Path.of("target/test-certs/tls.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
}
