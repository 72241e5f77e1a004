package org.vxpool.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageRoundTripTest {

    /** The body of an encoded typed message, after checking its type and length word. */
    private static Buffer body(Buffer encoded, byte type) {
        assertThat(encoded.getByte(0)).isEqualTo(type);
        assertThat(encoded.getInt(1)).isEqualTo(encoded.length() - 1);
        return encoded.slice(5, encoded.length());
    }

    @Test
    void startupMessage() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("user", "alice");
        p.put("database", "shop");
        p.put("application_name", "psql é");
        StartupMessage m = new StartupMessage(PgProtocol.PROTOCOL_3_0, p);
        Buffer enc = m.encode();
        assertThat(enc.getInt(0)).isEqualTo(enc.length());
        assertThat(enc.getInt(4)).isEqualTo(196608);
        StartupMessage back = StartupMessage.decode(enc);
        assertThat(back).isEqualTo(m);
        assertThat(back.database()).isEqualTo("shop");
        assertThat(back.majorVersion()).isEqualTo(3);
    }

    @Test
    void startupDatabaseDefaultsToUser() {
        StartupMessage m = StartupMessage.decode(new StartupMessage(PgProtocol.PROTOCOL_3_0, Map.of("user", "bob")).encode());
        assertThat(m.database()).isEqualTo("bob");
    }

    @Test
    void startupWithoutUserIsRejected() {
        Buffer enc = new StartupMessage(PgProtocol.PROTOCOL_3_0, Map.of("database", "x")).encode();
        assertThatThrownBy(() -> StartupMessage.decode(enc)).isInstanceOf(PgProtocolException.class)
                .hasMessageContaining("no PostgreSQL user name")
                .extracting(e -> ((PgProtocolException) e).sqlState()).isEqualTo("28000");
    }

    @Test
    void startupWithoutTerminatorIsRejected() {
        Buffer enc = new StartupMessage(PgProtocol.PROTOCOL_3_0, Map.of("user", "x")).encode();
        Buffer cut = enc.getBuffer(0, enc.length() - 1);
        cut.setInt(0, cut.length());
        assertThatThrownBy(() -> StartupMessage.decode(cut)).isInstanceOf(PgProtocolException.class)
                .extracting(e -> ((PgProtocolException) e).sqlState()).isEqualTo("08P01");
    }

    @Test
    void cancelRequest() {
        CancelRequest c = new CancelRequest(4242, -17);
        Buffer enc = c.encode();
        assertThat(enc.length()).isEqualTo(16);
        assertThat(enc.getInt(4)).isEqualTo(PgProtocol.CANCEL_REQUEST_CODE);
        assertThat(CancelRequest.decode(enc)).isEqualTo(c);
    }

    @Test
    void errorResponseKeepsEveryField() {
        ErrorResponse e = ErrorResponse.fatal("53300", "sorry, too many clients already", "detail here");
        ErrorResponse back = ErrorResponse.decode(body(e.encode(), PgProtocol.Backend.ERROR_RESPONSE));
        assertThat(back).isEqualTo(e);
        assertThat(back.sqlState()).isEqualTo("53300");
        assertThat(back.isFatal()).isTrue();
        assertThat(ErrorResponse.error("42P01", "x").isFatal()).isFalse();
    }

    @Test
    void errorBecomesFatal() {
        ErrorResponse e = ErrorResponse.error("22023", "invalid value for parameter \"DateStyle\"");
        ErrorResponse f = e.asFatal();
        assertThat(f.isFatal()).isTrue();
        assertThat(f.sqlState()).isEqualTo("22023");
        assertThat(f.message()).isEqualTo(e.message());
    }

    @Test
    void fatalBecomesAnErrorKeepingTheBackendsFieldsAndDetail() {
        ErrorResponse f = ErrorResponse.decode(body(ErrorResponse.fatal("57P01", "terminating connection due to administrator command")
                .encode(), PgProtocol.Backend.ERROR_RESPONSE));
        ErrorResponse e = f.asError("the session goes on");
        assertThat(e.isFatal()).isFalse();
        assertThat(e.fields().get(ErrorFields.SEVERITY)).isEqualTo("ERROR");
        assertThat(e.fields().get(ErrorFields.SEVERITY_NONLOCALIZED)).isEqualTo("ERROR");
        assertThat(e.sqlState()).isEqualTo("57P01");
        assertThat(e.message()).isEqualTo(f.message());
        assertThat(e.fields().get(ErrorFields.DETAIL)).isEqualTo("the session goes on");
        ErrorResponse withDetail = ErrorResponse.fatal("57P02", "crash", "the backend's own detail").asError("ours");
        assertThat(withDetail.fields().get(ErrorFields.DETAIL)).as("the backend's detail wins").isEqualTo("the backend's own detail");
    }

    @Test
    void noticeResponse() {
        NoticeResponse n = new NoticeResponse(ErrorFields.of("WARNING", "25P01", "there is no transaction in progress", null));
        assertThat(NoticeResponse.decode(body(n.encode(), PgProtocol.Backend.NOTICE_RESPONSE))).isEqualTo(n);
    }

    @Test
    void readyForQuery() {
        ReadyForQuery r = new ReadyForQuery(PgProtocol.TxStatus.FAILED);
        assertThat(ReadyForQuery.decode(body(r.encode(), PgProtocol.Backend.READY_FOR_QUERY))).isEqualTo(r);
    }

    @Test
    void backendKeyData() {
        BackendKeyData k = new BackendKeyData(123, Integer.MIN_VALUE);
        assertThat(BackendKeyData.decode(body(k.encode(), PgProtocol.Backend.BACKEND_KEY_DATA))).isEqualTo(k);
    }

    @Test
    void parameterStatus() {
        ParameterStatus p = new ParameterStatus("DateStyle", "ISO, MDY");
        assertThat(ParameterStatus.decode(body(p.encode(), PgProtocol.Backend.PARAMETER_STATUS))).isEqualTo(p);
    }

    @Test
    void authenticationVariants() {
        Authentication md5 = new Authentication(PgProtocol.Auth.MD5_PASSWORD, Buffer.buffer(new byte[] {1, 2, 3, 4}));
        Authentication back = Authentication.decode(body(md5.encode(), PgProtocol.Backend.AUTHENTICATION));
        assertThat(back.code()).isEqualTo(5);
        assertThat(back.data().getBytes()).containsExactly(1, 2, 3, 4);
        Authentication ok = Authentication.decode(body(Authentication.ok(), PgProtocol.Backend.AUTHENTICATION));
        assertThat(ok.code()).isZero();
        assertThat(ok.data().length()).isZero();
        Buffer mechs = Buffer.buffer("SCRAM-SHA-256\0\0");
        Authentication sasl = Authentication.decode(body(new Authentication(PgProtocol.Auth.SASL, mechs).encode(),
                PgProtocol.Backend.AUTHENTICATION));
        assertThat(sasl.data()).isEqualTo(mechs);
    }

    @Test
    void query() {
        Query q = new Query("SELECT 1; SELECT 'é'");
        assertThat(Query.decode(body(q.encode(), PgProtocol.Frontend.QUERY))).isEqualTo(q);
        assertThat(Query.decode(body(new Query("").encode(), PgProtocol.Frontend.QUERY)).sql()).isEmpty();
    }

    @Test
    void extendedProtocolMessages() {
        Parse parse = new Parse("S_1", "SELECT $1::int, $2", List.of(23, 0));
        assertThat(Parse.decode(body(parse.encode(), PgProtocol.Frontend.PARSE))).isEqualTo(parse);
        Bind bind = new Bind("P_1", "S_1", List.of(0, 1), java.util.Arrays.asList(Buffer.buffer("42"), null),
                List.of(1));
        Bind bindBack = Bind.decode(body(bind.encode(), PgProtocol.Frontend.BIND));
        assertThat(bindBack.portal()).isEqualTo("P_1");
        assertThat(bindBack.statement()).isEqualTo("S_1");
        assertThat(bindBack.parameterFormats()).containsExactly(0, 1);
        assertThat(bindBack.parameters().get(0)).isEqualTo(Buffer.buffer("42"));
        assertThat(bindBack.parameters().get(1)).isNull();
        assertThat(bindBack.resultFormats()).containsExactly(1);
        assertThat(bindBack.encode()).isEqualTo(bind.encode());
        Describe d = new Describe((byte) 'S', "S_1");
        assertThat(Describe.decode(body(d.encode(), PgProtocol.Frontend.DESCRIBE))).isEqualTo(d);
        Execute e = new Execute("", 100);
        assertThat(Execute.decode(body(e.encode(), PgProtocol.Frontend.EXECUTE))).isEqualTo(e);
        Close c = new Close((byte) 'P', "P_1");
        assertThat(Close.decode(body(c.encode(), PgProtocol.Frontend.CLOSE))).isEqualTo(c);
    }

    @Test
    void bindWithTruncatedParameterIsRejected() {
        Buffer enc = new Bind("", "", List.of(), List.of(Buffer.buffer("abcdef")), List.of()).encode();
        Buffer cut = enc.getBuffer(5, enc.length() - 4);
        assertThatThrownBy(() -> Bind.decode(cut)).isInstanceOf(PgProtocolException.class);
    }

    @Test
    void passwordMessage() {
        PasswordMessage p = PasswordMessage.ofPassword("s3cret");
        PasswordMessage back = PasswordMessage.decode(body(p.encode(), PgProtocol.Frontend.PASSWORD));
        assertThat(back.password()).isEqualTo("s3cret");
        assertThat(back).isEqualTo(p);
    }

    @Test
    void terminateAndSyncAreEmpty() {
        assertThat(body(Terminate.encode(), PgProtocol.Frontend.TERMINATE).length()).isZero();
        assertThat(body(Sync.encode(), PgProtocol.Frontend.SYNC).length()).isZero();
    }

    @Test
    void negotiateProtocolVersion() {
        NegotiateProtocolVersion n = new NegotiateProtocolVersion(0, List.of("_pq_.foo", "_pq_.bar"));
        assertThat(NegotiateProtocolVersion.decode(body(n.encode(), PgProtocol.Backend.NEGOTIATE_PROTOCOL_VERSION)))
                .isEqualTo(n);
    }

    @Test
    void frameEncodesTypeAndBody() {
        Frame f = new Frame(PgProtocol.Frontend.PASSWORD, Buffer.buffer("abc\0"));
        Buffer enc = f.encode();
        assertThat(body(enc, PgProtocol.Frontend.PASSWORD)).isEqualTo(Buffer.buffer("abc\0"));
    }

    @Test
    void shortBodyIsProtocolViolation() {
        assertThatThrownBy(() -> BackendKeyData.decode(Buffer.buffer(new byte[] {0, 0, 1})))
                .isInstanceOf(PgProtocolException.class)
                .extracting(e -> ((PgProtocolException) e).sqlState()).isEqualTo("08P01");
        assertThatThrownBy(() -> Query.decode(Buffer.buffer("no terminator")))
                .isInstanceOf(PgProtocolException.class);
    }
}
