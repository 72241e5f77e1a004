package org.vxpool.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** PostgreSQL's md5 password scheme: stored {@code md5(password || user)}, salted on the wire. */
public final class Md5Auth {
    public static final String PREFIX = "md5";
    /** "md5" and 32 hex digits. */
    public static final int HASH_LENGTH = 35;

    private Md5Auth() {
    }

    /** What PostgreSQL stores for a password: {@code "md5" + hex(md5(password + user))}. */
    public static String encrypt(byte[] password, String user) {
        return PREFIX + md5Hex(concat(password, user.getBytes(StandardCharsets.UTF_8)));
    }

    public static String encrypt(String password, String user) {
        return encrypt(password.getBytes(StandardCharsets.UTF_8), user);
    }

    /** The PasswordMessage payload for an AuthenticationMD5Password request, from the stored hash. */
    public static String saltedResponse(String storedHash, byte[] salt) {
        return PREFIX + md5Hex(concat(storedHash.substring(PREFIX.length())
                .getBytes(StandardCharsets.US_ASCII), salt));
    }

    public static boolean isMd5Hash(String s) {
        if (s.length() != HASH_LENGTH || !s.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String md5Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 unavailable in this JVM", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
