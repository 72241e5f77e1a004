package org.vxpool.admin.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The contents of a pcp.conf-style file: {@code user:md5hex} per line, where md5hex is the MD5 of
 * the password alone (pgpool's {@code pg_md5 password}). Comments ({@code #}) and blank lines are
 * skipped; a malformed line is skipped too, so one typo does not lock everybody out.
 */
public final class PcpAuthFile {

    private final Map<String, String> md5ByUser;

    private PcpAuthFile(Map<String, String> md5ByUser) {
        this.md5ByUser = Map.copyOf(md5ByUser);
    }

    public static PcpAuthFile parse(String text) {
        Map<String, String> users = new HashMap<>();
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            int colon = trimmed.indexOf(':');
            if (trimmed.isEmpty() || trimmed.startsWith("#") || colon <= 0) {
                continue;
            }
            String hash = trimmed.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            if (hash.matches("[0-9a-f]{32}")) {
                users.put(trimmed.substring(0, colon), hash);
            }
        }
        return new PcpAuthFile(users);
    }

    public static PcpAuthFile empty() {
        return new PcpAuthFile(Map.of());
    }

    /** Whether the password's MD5 matches the user's line; compared in constant time. */
    public boolean accepts(String user, String password) {
        String expected = md5ByUser.get(user);
        byte[] given = md5Hex(password).getBytes(StandardCharsets.US_ASCII);
        // Compare even for an unknown user, so the answer time does not tell which users exist.
        byte[] wanted = (expected == null ? "-".repeat(32) : expected).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, wanted) && expected != null;
    }

    public Optional<String> hashOf(String user) {
        return Optional.ofNullable(md5ByUser.get(user));
    }

    public static String md5Hex(String password) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }
}
