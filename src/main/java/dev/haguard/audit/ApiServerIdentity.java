package dev.haguard.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * Who the API server is, as a security reviewer knows it: its client certificate subjects (RFC 2253) and the addresses
 * it calls from (an IP or a CIDR such as 10.0.0.0/24). A caller matching either is the API server.
 */
public record ApiServerIdentity(List<String> subjects, List<String> addresses) {

    public ApiServerIdentity {
        subjects = subjects == null ? List.of() : subjects.stream().map(ApiServerIdentity::canonical).toList();
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        for (String cidr : addresses) {
            prefix(cidr); // fail on a malformed one now, with its text
        }
    }

    public static final ApiServerIdentity UNKNOWN = new ApiServerIdentity(List.of(), List.of());

    public boolean known() {
        return !subjects.isEmpty() || !addresses.isEmpty();
    }

    public boolean matches(String address, String subject) {
        if (subject != null && subjects.contains(canonical(subject))) {
            return true;
        }
        return address != null && !address.isEmpty() && addresses.stream().anyMatch(cidr -> within(address, cidr));
    }

    private static boolean within(String address, String cidr) {
        byte[] ip = literal(address);
        if (ip == null) {
            return false;
        }
        int slash = cidr.indexOf('/');
        byte[] net = literal(slash < 0 ? cidr : cidr.substring(0, slash));
        int bits = prefix(cidr);
        if (net == null || net.length != ip.length) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((ip[i / 8] & mask) != (net[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static int prefix(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] net = literal(slash < 0 ? cidr : cidr.substring(0, slash));
        if (net == null) {
            throw new IllegalArgumentException("\"" + cidr + "\" is not an IP address or CIDR (10.0.0.0/24)");
        }
        try {
            int bits = slash < 0 ? net.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            if (bits < 0 || bits > net.length * 8) {
                throw new NumberFormatException();
            }
            return bits;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + cidr + "\" has no valid prefix length");
        }
    }

    /** The bytes of an IP literal, never a DNS lookup; null for anything else. */
    private static byte[] literal(String text) {
        if (!text.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static String canonical(String subject) {
        try {
            return new X500Principal(subject).getName(X500Principal.CANONICAL);
        } catch (IllegalArgumentException e) {
            return subject;
        }
    }
}
