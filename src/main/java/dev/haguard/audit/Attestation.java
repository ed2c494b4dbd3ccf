package dev.haguard.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haguard.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signed evidence an auditor can check without ha-guard: an in-toto Statement (v1) in a DSSE envelope, signed with
 * Ed25519 by the JDK alone. The signature covers DSSE's pre-authentication encoding of the payload's exact bytes
 * ({@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, secure-systems-lab/dsse protocol.md), so any DSSE
 * verifier with the public key checks it. Keys are PEM as openssl writes them: {@code openssl genpkey -algorithm
 * ed25519} (PKCS#8) and {@code openssl pkey -pubout} (SubjectPublicKeyInfo).
 */
public final class Attestation {

    public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
    public static final String STATEMENT = "https://in-toto.io/Statement/v1";

    private Attestation() {
    }

    /** A DSSE envelope of {@code statement}, signed with {@code key}. */
    public static ObjectNode envelope(JsonNode statement, PrivateKey key) throws GeneralSecurityException {
        byte[] body = statement.toString().getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(pae(PAYLOAD_TYPE, body));
        ObjectNode envelope = Json.MAPPER.createObjectNode().put("payloadType", PAYLOAD_TYPE)
                .put("payload", Base64.getEncoder().encodeToString(body));
        envelope.putArray("signatures").addObject().put("keyid", keyId(publicOf(key)))
                .put("sig", Base64.getEncoder().encodeToString(signer.sign()));
        return envelope;
    }

    /**
     * The statement in {@code envelope} if one of its signatures is {@code key}'s over its payload; else why not, as an
     * {@link IllegalArgumentException}.
     */
    public static JsonNode verified(JsonNode envelope, PublicKey key) {
        if (!PAYLOAD_TYPE.equals(envelope.path("payloadType").asText())) {
            throw new IllegalArgumentException("not an in-toto DSSE envelope (payloadType \""
                    + envelope.path("payloadType").asText() + "\")");
        }
        byte[] body;
        try {
            body = Base64.getDecoder().decode(envelope.path("payload").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its payload is not base64");
        }
        for (JsonNode s : envelope.path("signatures")) {
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
                verifier.update(pae(PAYLOAD_TYPE, body));
                if (verifier.verify(Base64.getDecoder().decode(s.path("sig").asText()))) {
                    return Json.MAPPER.readTree(body);
                }
            } catch (GeneralSecurityException | IllegalArgumentException | IOException e) {
                // a malformed signature is one that does not verify
            }
        }
        throw new IllegalArgumentException("no signature by key " + keyId(key) + " verifies its payload: the evidence "
                + "was changed after it was signed, or signed with another key");
    }

    /** DSSE's pre-authentication encoding. */
    static byte[] pae(String type, byte[] body) {
        byte[] t = type.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("DSSEv1 " + t.length + " " + type + " " + body.length + " ").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    /** The SHA-256 of the public key's SubjectPublicKeyInfo, hex: what names a key in an envelope and in reports. */
    public static String keyId(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The public key of an Ed25519 private key. The JDK has no call for it, but its key pair generator makes the pair
     * from 32 random bytes, the private key itself (RFC 8032 5.1.5): handed those bytes, it makes this key's pair.
     */
    static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
        byte[] seed = ((EdECPrivateKey) key).getBytes().orElseThrow(() -> new GeneralSecurityException(
                "the private key's bytes are not readable"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, bytes.length);
            }
        });
        return generator.generateKeyPair().getPublic();
    }

    /** An Ed25519 private key from a PKCS#8 PEM file; an error that names the file and what is wrong. */
    public static PrivateKey privateKey(Path pem) throws IOException {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IOException(pem + " is not an Ed25519 private key (openssl genpkey -algorithm ed25519 writes one)");
        }
    }

    /** An Ed25519 public key from a PEM file (SubjectPublicKeyInfo). */
    public static PublicKey publicKey(Path pem) throws IOException {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + " is not an Ed25519 public key (openssl pkey -in KEY -pubout writes one)");
        }
    }

    private static byte[] der(Path pem, String label) throws IOException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN " + label + "-----");
        int end = text.indexOf("-----END " + label + "-----");
        if (begin < 0 || end < begin) {
            throw new IOException(pem + " holds no PEM block \"" + label + "\"");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(begin + label.length() + 16, end));
        } catch (IllegalArgumentException e) {
            throw new IOException(pem + ": its " + label + " block is not base64");
        }
    }
}
