package org.vxpool.proxy.auth.message;

import org.vxpool.proxy.protocol.SqlState;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.proxy.auth.AuthException;
import org.vxpool.proxy.protocol.Authentication;
import org.vxpool.proxy.protocol.PgProtocol;

/**
 * Authentication* (B), type {@code 'R'}: typed views of the requests of the auth exchange. Framing
 * is the proxy codec's {@link Authentication}; these only give its code and data a meaning.
 */
public sealed interface AuthenticationRequest {

    /** The whole message, type byte and length included. */
    Buffer encode();

    /** AuthenticationOk (B). */
    record Ok() implements AuthenticationRequest {
        @Override
        public Buffer encode() {
            return frame(PgProtocol.Auth.OK, new byte[0]);
        }
    }

    /** AuthenticationCleartextPassword (B). */
    record CleartextPassword() implements AuthenticationRequest {
        @Override
        public Buffer encode() {
            return frame(PgProtocol.Auth.CLEARTEXT_PASSWORD, new byte[0]);
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
            return frame(PgProtocol.Auth.MD5_PASSWORD, salt);
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
            return frame(PgProtocol.Auth.SASL, payload.getBytes());
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
            return frame(PgProtocol.Auth.SASL_CONTINUE, data);
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
            return frame(PgProtocol.Auth.SASL_FINAL, data);
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
        return of(Authentication.decode(body));
    }

    /** The typed view of an Authentication (B) message decoded by the proxy's codec. */
    static AuthenticationRequest of(Authentication message) throws AuthException {
        int code = message.code();
        byte[] rest = message.data().getBytes();
        return switch (code) {
            case PgProtocol.Auth.OK -> requireEmpty(new Ok(), rest);
            case PgProtocol.Auth.CLEARTEXT_PASSWORD -> requireEmpty(new CleartextPassword(), rest);
            case PgProtocol.Auth.MD5_PASSWORD -> {
                if (rest.length != 4) {
                    throw invalid("AuthenticationMD5Password with a " + rest.length + "-byte salt");
                }
                yield new Md5Password(rest);
            }
            case PgProtocol.Auth.SASL -> new Sasl(decodeMechanisms(rest));
            case PgProtocol.Auth.SASL_CONTINUE -> new SaslContinue(rest);
            case PgProtocol.Auth.SASL_FINAL -> new SaslFinal(rest);
            default -> throw new AuthException(SqlState.FEATURE_NOT_SUPPORTED,
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
        return new AuthException(SqlState.PROTOCOL_VIOLATION,
                "invalid authentication request from server: " + detail, null);
    }

    private static Buffer frame(int code, byte[] payload) {
        return new Authentication(code, Buffer.buffer(payload)).encode();
    }
}
