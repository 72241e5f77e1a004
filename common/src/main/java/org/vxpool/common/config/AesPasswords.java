package org.vxpool.common.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * pgpool-II's {@code AES...} passwords, as {@code pg_enc} writes them into pool_passwd and
 * pgpool.conf's {@code *_password}: {@code AES} + base64(AES-256-CBC(password)), PKCS#7 padded.
 * Key and IV come from the key text through OpenSSL's {@code EVP_BytesToKey} with SHA-1, no salt
 * and one round (pgpool's {@code aes_get_key} in {@code src/utils/ssl_utils.c}). Pure: no I/O.
 */
public final class AesPasswords {
    public static final String PREFIX = "AES";

    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 16;

    private AesPasswords() {
    }

    public static boolean isEncrypted(String secret) {
        return secret.startsWith(PREFIX);
    }

    /**
     * The password inside {@code secret} ({@code AES...}).
     *
     * @throws IllegalArgumentException naming the problem (never the password): not base64, or
     *     not decryptable with {@code key}, which is what a wrong key gives
     */
    public static String decrypt(String secret, String key) {
        return decrypt(cipherText(secret), key);
    }

    /** The encrypted bytes of {@code secret}; checks the form alone, so no key is needed yet. */
    static byte[] cipherText(String secret) {
        byte[] cipherText;
        try {
            cipherText = Base64.getDecoder().decode(secret.substring(PREFIX.length()).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AES-encrypted password is not valid base64");
        }
        if (cipherText.length == 0 || cipherText.length % IV_BYTES != 0) {
            throw new IllegalArgumentException("AES-encrypted password has " + cipherText.length
                    + " bytes, not a whole number of AES blocks; was it cut short?");
        }
        return cipherText;
    }

    static String decrypt(byte[] cipherText, String key) {
        byte[] plain;
        try {
            plain = cipher(Cipher.DECRYPT_MODE, key).doFinal(cipherText);
        } catch (GeneralSecurityException e) {
            throw wrongKey();
        }
        // A wrong key passes the padding check about once in 256 tries; what comes out then is
        // noise, which strict UTF-8 (and pgpool's C strings, which end at a NUL) reject.
        try {
            String password = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(plain)).toString();
            if (password.isEmpty() || password.indexOf('\0') >= 0) {
                throw wrongKey();
            }
            return password;
        } catch (CharacterCodingException e) {
            throw wrongKey();
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** What {@code pg_enc -K key password} prints after "pool_passwd string: ". */
    public static String encrypt(String password, String key) {
        try {
            byte[] out = cipher(Cipher.ENCRYPT_MODE, key).doFinal(password.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is unavailable in this JVM", e);
        }
    }

    private static IllegalArgumentException wrongKey() {
        return new IllegalArgumentException("cannot decrypt the AES-encrypted password with pgpool's key;"
                + " the key differs from the one pg_enc used");
    }

    private static Cipher cipher(int mode, String key) throws GeneralSecurityException {
        byte[] material = bytesToKey(key.getBytes(StandardCharsets.UTF_8));
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(mode, new SecretKeySpec(material, 0, KEY_BYTES, "AES"),
                    new IvParameterSpec(material, KEY_BYTES, IV_BYTES));
            return c;
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /** EVP_BytesToKey(SHA-1, no salt, 1 round): D_i = SHA1(D_{i-1} || key) until key + IV bytes. */
    static byte[] bytesToKey(byte[] key) throws GeneralSecurityException {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] out = new byte[KEY_BYTES + IV_BYTES];
        byte[] previous = new byte[0];
        int filled = 0;
        while (filled < out.length) {
            sha1.update(previous);
            sha1.update(key);
            previous = sha1.digest();
            int n = Math.min(previous.length, out.length - filled);
            System.arraycopy(previous, 0, out, filled, n);
            filled += n;
        }
        return out;
    }
}
