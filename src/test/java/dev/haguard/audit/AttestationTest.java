package dev.haguard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed drill evidence: DSSE over an in-toto statement with Ed25519, from keys as openssl writes them. */
class AttestationTest {

    @TempDir
    Path dir;

    private Path key() throws Exception {
        return TestKeys.openssl(dir);
    }

    private static ObjectNode statement() {
        ObjectNode s = Json.MAPPER.createObjectNode().put("_type", Attestation.STATEMENT)
                .put("predicateType", "https://haguard.dev/restore-drill/v1");
        s.putObject("predicate").put("namespace", "shop").put("result", "passed").put("measuredRtoSeconds", 412);
        return s;
    }

    @Test
    void the_pre_authentication_encoding_is_dsse_s() {
        // The example in secure-systems-lab/dsse protocol.md.
        assertThat(new String(Attestation.pae("http://example.com/HelloWorld", "hello world".getBytes(
                StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void evidence_signed_with_an_openssl_key_verifies_with_its_public_key_and_names_it() throws Exception {
        Path file = key();
        PrivateKey key = Attestation.privateKey(file);
        PublicKey pub = Attestation.publicKey(TestKeys.publicOf(file));

        ObjectNode envelope = Attestation.envelope(statement(), key);

        assertThat(envelope.path("payloadType").asText()).isEqualTo("application/vnd.in-toto+json");
        assertThat(envelope.path("signatures").path(0).path("keyid").asText()).isEqualTo(Attestation.keyId(pub));
        assertThat(Attestation.verified(envelope, pub)).isEqualTo(statement());
    }

    @Test
    void a_changed_payload_or_another_key_does_not_verify() throws Exception {
        Path file = key();
        PrivateKey key = Attestation.privateKey(file);
        PublicKey pub = Attestation.publicKey(TestKeys.publicOf(file));
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ObjectNode envelope = Attestation.envelope(statement(), key);

        ObjectNode changed = envelope.deepCopy();
        changed.put("payload", Base64.getEncoder().encodeToString(statement().put("_type", Attestation.STATEMENT)
                .toString().replace("412", "41").getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> Attestation.verified(changed, pub)).hasMessageContaining("changed after it was signed");
        assertThatThrownBy(() -> Attestation.verified(envelope, other.getPublic()))
                .hasMessageContaining("signed with another key");
    }

    @Test
    void the_public_key_is_derived_from_the_private_one_as_the_jdk_generated_it() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        assertThat(Attestation.publicOf(pair.getPrivate()).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        Path file = key();
        assertThat(Attestation.publicOf(Attestation.privateKey(file)).getEncoded())
                .isEqualTo(Attestation.publicKey(TestKeys.publicOf(file)).getEncoded());
    }

    @Test
    void a_file_that_is_no_ed25519_key_is_named_with_what_to_run() throws Exception {
        Path rsa = dir.resolve("not.pem");
        Files.writeString(rsa, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "");

        assertThatThrownBy(() -> Attestation.privateKey(rsa)).hasMessageContaining("not an Ed25519 private key")
                .hasMessageContaining("openssl genpkey -algorithm ed25519");
        assertThatThrownBy(() -> Attestation.publicKey(empty)).hasMessageContaining("holds no PEM block");
    }
}
