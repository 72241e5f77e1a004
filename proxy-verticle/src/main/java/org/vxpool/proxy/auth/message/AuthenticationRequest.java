package org.vxpool.proxy.auth.message;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.proxy.auth.AuthException;

/**
 * Authentication request (B), message type {@code 'R'}: the server's side of the auth exchange.
 * The int32 after the length says which request it is.
 */
public sealed interface AuthenticationRequest {
    byte TYPE = 'R';
    int OK = 0;
    int CLEARTEXT_PASSWORD = 3;
    int MD5_PASSWORD = 5;
    int SASL = 10;
    int SASL_CONTINUE = 11;
    int SASL_FINAL = 12;

    /** The whole message, type byte and length included. */
    Buffer encode();

    /** AuthenticationOk (B). */
    record Ok() implements AuthenticationRequest {
        @Override
        public Buffer encode() {
            return frame(OK, new byte[0]);
        }
    }

    /** AuthenticationCleartextPassword (B). */
    record CleartextPassword() implements AuthenticationRequest {
        @Override
        public Buffer encode() {
            return frame(CLEARTEXT_PASSWORD, new byte[0]);
        }
    }

    /** AuthenticationMD5Password (B) with its 4-byte salt. */
    record Md5Password(byte[] salt) implements AuthenticationRequest {
        public Md5Password {
            if (salt.length != 4) {
                throw new IllegalArgumentException("md5 salt must be 4 bytes, not " + salt.length);
            }
            salt = salt.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public Buffer encode() {
            return frame(MD5_PASSWORD, salt);
        }
    }

    /** AuthenticationSASL (B): the mechanisms the server offers. */
    record Sasl(List<String> mechanisms) implements AuthenticationRequest {
        public Sasl {
            mechanisms = List.copyOf(mechanisms);
        }

        @Override
        public Buffer encode() {
            Buffer payload = Buffer.buffer();
            for (String m : mechanisms) {
                payload.appendString(m, "UTF-8").appendByte((byte) 0);
            }
            payload.appendByte((byte) 0);
            return frame(SASL, payload.getBytes());
        }
    }

    /** AuthenticationSASLContinue (B): a SCRAM server-first-message. */
    record SaslContinue(byte[] data) implements AuthenticationRequest {
        public SaslContinue {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public Buffer encode() {
            return frame(SASL_CONTINUE, data);
        }
    }

    /** AuthenticationSASLFinal (B): a SCRAM server-final-message. */
    record SaslFinal(byte[] data) implements AuthenticationRequest {
        public SaslFinal {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public Buffer encode() {
            return frame(SASL_FINAL, data);
        }
    }

    /**
     * Decodes the body of an 'R' message (what follows the length). Requests vxpool does not
     * implement (Kerberos, GSS, SSPI) are refused with 0A000.
     */
    static AuthenticationRequest decode(Buffer body) throws AuthException {
        if (body.length() < 4) {
            throw invalid("authentication request shorter than its code");
        }
        int code = body.getInt(0);
        byte[] rest = body.getBytes(4, body.length());
        return switch (code) {
            case OK -> requireEmpty(new Ok(), rest);
            case CLEARTEXT_PASSWORD -> requireEmpty(new CleartextPassword(), rest);
            case MD5_PASSWORD -> {
                if (rest.length != 4) {
                    throw invalid("AuthenticationMD5Password with a " + rest.length + "-byte salt");
                }
                yield new Md5Password(rest);
            }
            case SASL -> new Sasl(decodeMechanisms(rest));
            case SASL_CONTINUE -> new SaslContinue(rest);
            case SASL_FINAL -> new SaslFinal(rest);
            default -> throw new AuthException(AuthException.FEATURE_NOT_SUPPORTED,
                    "authentication method " + code + " not supported", null);
        };
    }

    private static List<String> decodeMechanisms(byte[] rest) throws AuthException {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < rest.length; i++) {
            if (rest[i] == 0) {
                if (i == start) {
                    if (i != rest.length - 1) {
                        throw invalid("data after the end of the SASL mechanism list");
                    }
                    return names;
                }
                names.add(new String(rest, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        throw invalid("unterminated SASL mechanism list");
    }

    private static AuthenticationRequest requireEmpty(AuthenticationRequest r, byte[] rest)
            throws AuthException {
        if (rest.length != 0) {
            throw invalid("unexpected data after authentication request " + r);
        }
        return r;
    }

    private static AuthException invalid(String detail) {
        return new AuthException(AuthException.PROTOCOL_VIOLATION,
                "invalid authentication request from server: " + detail, null);
    }

    private static Buffer frame(int code, byte[] payload) {
        return Buffer.buffer(9 + payload.length).appendByte(TYPE).appendInt(8 + payload.length)
                .appendInt(code).appendBytes(payload);
    }
}
