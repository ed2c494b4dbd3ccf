package dev.haguard.admission;

import io.restassured.RestAssured;
import io.restassured.config.SSLConfig;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** REST Assured over HTTPS, trusting only the CA that certs/generate.sh made for the test run. */
public final class Https {

    static final Path CA = Path.of("target/test-certs/ca.crt");

    private Https() {
    }

    public static RequestSpecification to(URL base) {
        return RestAssured.given().baseUri(base.toString())
                .config(RestAssured.config().sslConfig(SSLConfig.sslConfig().trustStore(trustStore())));
    }

    /** A JDK client that trusts the same CA, for what REST Assured cannot do (HTTP/2, Expect: 100-continue). */
    public static HttpClient client() {
        return HttpClient.newBuilder().sslContext(tls()).build();
    }

    /** TLS trusting that CA, for raw sockets too. */
    public static SSLContext tls() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore trustStore() {
        try (InputStream in = Files.newInputStream(CA)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ha-guard-dev-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + CA + ": run the build so certs/generate.sh makes it", e);
        }
    }
}
