package org.vxpool.proxy.protocol;

/**
 * Every message type byte and start-up code of the PostgreSQL v3 protocol. Frontend (client to
 * server) and backend (server to client) letters live in separate classes because the same
 * letter means different things per direction ({@code 'D'} is Describe (F) but DataRow (B)).
 */
public final class PgProtocol {
    private PgProtocol() {
    }

    /** Protocol version 3.0 as sent in a StartupMessage. */
    public static final int PROTOCOL_3_0 = 196608;
    public static final int SSL_REQUEST_CODE = 80877103;
    public static final int GSSENC_REQUEST_CODE = 80877104;
    public static final int CANCEL_REQUEST_CODE = 80877102;
    /** PostgreSQL's MAX_STARTUP_PACKET_LENGTH: a longer start-up packet is refused. */
    public static final int MAX_STARTUP_PACKET_LENGTH = 10000;
    /** PostgreSQL's PQ_LARGE_MESSAGE_LIMIT (1 GB - 1). */
    public static final int LARGE_MESSAGE_LIMIT = 0x3fffffff;

    /** Type bytes of messages sent by the client. */
    public static final class Frontend {
        private Frontend() {
        }

        public static final byte BIND = 'B';
        public static final byte CLOSE = 'C';
        public static final byte COPY_DATA = 'd';
        public static final byte COPY_DONE = 'c';
        public static final byte COPY_FAIL = 'f';
        public static final byte DESCRIBE = 'D';
        public static final byte EXECUTE = 'E';
        public static final byte FLUSH = 'H';
        public static final byte FUNCTION_CALL = 'F';
        public static final byte PARSE = 'P';
        /** PasswordMessage, SASLInitialResponse, SASLResponse and GSSResponse share 'p'. */
        public static final byte PASSWORD = 'p';
        public static final byte QUERY = 'Q';
        public static final byte SYNC = 'S';
        public static final byte TERMINATE = 'X';
    }

    /** Type bytes of messages sent by the server. */
    public static final class Backend {
        private Backend() {
        }

        public static final byte AUTHENTICATION = 'R';
        public static final byte BACKEND_KEY_DATA = 'K';
        public static final byte BIND_COMPLETE = '2';
        public static final byte CLOSE_COMPLETE = '3';
        public static final byte COMMAND_COMPLETE = 'C';
        public static final byte COPY_DATA = 'd';
        public static final byte COPY_DONE = 'c';
        public static final byte COPY_IN_RESPONSE = 'G';
        public static final byte COPY_OUT_RESPONSE = 'H';
        public static final byte COPY_BOTH_RESPONSE = 'W';
        public static final byte DATA_ROW = 'D';
        public static final byte EMPTY_QUERY_RESPONSE = 'I';
        public static final byte ERROR_RESPONSE = 'E';
        public static final byte FUNCTION_CALL_RESPONSE = 'V';
        public static final byte NEGOTIATE_PROTOCOL_VERSION = 'v';
        public static final byte NO_DATA = 'n';
        public static final byte NOTICE_RESPONSE = 'N';
        public static final byte NOTIFICATION_RESPONSE = 'A';
        public static final byte PARAMETER_DESCRIPTION = 't';
        public static final byte PARAMETER_STATUS = 'S';
        public static final byte PARSE_COMPLETE = '1';
        public static final byte PORTAL_SUSPENDED = 's';
        public static final byte READY_FOR_QUERY = 'Z';
        public static final byte ROW_DESCRIPTION = 'T';
    }

    /** Authentication request codes carried in Authentication* (B) messages. */
    public static final class Auth {
        private Auth() {
        }

        public static final int OK = 0;
        public static final int KERBEROS_V5 = 2;
        public static final int CLEARTEXT_PASSWORD = 3;
        public static final int MD5_PASSWORD = 5;
        public static final int GSS = 7;
        public static final int GSS_CONTINUE = 8;
        public static final int SSPI = 9;
        public static final int SASL = 10;
        public static final int SASL_CONTINUE = 11;
        public static final int SASL_FINAL = 12;
    }

    /** Transaction status byte of ReadyForQuery (B). */
    public static final class TxStatus {
        private TxStatus() {
        }

        public static final byte IDLE = 'I';
        public static final byte IN_TRANSACTION = 'T';
        public static final byte FAILED = 'E';
    }
}
