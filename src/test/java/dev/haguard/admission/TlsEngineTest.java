package dev.haguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haguard.config.HaGuardConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import org.junit.jupiter.api.Test;

/**
 * The admission port's TLS engine. The endpoint tests (AdmissionEndpointTest, MutualTlsTest, GracefulShutdownIT) run
 * over whatever auto picks, which on Linux x86_64, where CI runs, must be BoringSSL: the cold-phase figures in
 * bench/RESULTS.md depend on it.
 */
class TlsEngineTest {

    @Test
    void auto_serves_tls_with_boringssl_on_linux_x86_64() {
        assertThat(System.getProperty("os.name")).isEqualTo("Linux");
        assertThat(OpenSSLEngineOptions.isAvailable()).as("netty-tcnative's BoringSSL loads").isTrue();
        assertThat(OpenSSLEngineOptions.isAlpnAvailable()).as("with ALPN, for HTTP/2").isTrue();

        assertThat(engine(HaGuardConfig.TlsEngine.AUTO)).isInstanceOf(OpenSSLEngineOptions.class);
        assertThat(engine(HaGuardConfig.TlsEngine.OPENSSL)).isInstanceOf(OpenSSLEngineOptions.class);
    }

    @Test
    void jdk_serves_tls_with_the_jdks_own_engine() {
        assertThat(engine(HaGuardConfig.TlsEngine.JDK)).isInstanceOf(JdkSSLEngineOptions.class);
    }

    private static SSLEngineOptions engine(HaGuardConfig.TlsEngine wanted) {
        HttpServerOptions options = new HttpServerOptions();
        new TlsEngine(wanted).customizeHttpsServer(options);
        return options.getSslEngineOptions();
    }
}
