package org.vxpool.proxy.show;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.MessageBuilder;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.ReadyForQuery;
import org.vxpool.proxy.protocol.SqlState;
import org.vxpool.proxy.routing.ClassifiedStatement;

/**
 * The {@code SHOW pool_*} and {@code PGPOOL SHOW/SET/RESET} commands and their answers in psql's
 * format: every column text, as RowDescription, DataRows and CommandComplete, for the simple and
 * the extended protocol. A client's mistake (an unknown parameter, a bad value) is an ERROR with
 * its SQLSTATE; the session goes on.
 */
public final class ShowCommands {
    private static final int TEXT_OID = 25;

    private ShowCommands() {
    }

    /**
     * A cheap test run on every Query/Parse text when no load balancing classifies it anyway:
     * whether it starts (after white space and comments, which the classifier skips too) with
     * SHOW or PGPOOL, so only those get classified.
     */
    public static boolean mayBeShow(Buffer b, int from, int end) {
        int i = skipSpaceAndComments(b, from, end);
        return startsWithIgnoreCase(b, i, end, "show") || startsWithIgnoreCase(b, i, end, "pgpool");
    }

    /** The index after leading white space, {@code -- line} and (nested) {@code /* block *}{@code /} comments. */
    private static int skipSpaceAndComments(Buffer b, int from, int end) {
        int i = from;
        while (i < end) {
            byte c = b.getByte(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < end && b.getByte(i + 1) == '-') {
                while (i < end && b.getByte(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < end && b.getByte(i + 1) == '*') {
                int depth = 1;
                i += 2;
                while (i < end && depth > 0) {
                    if (b.getByte(i) == '*' && i + 1 < end && b.getByte(i + 1) == '/') {
                        depth--;
                        i += 2;
                    } else if (b.getByte(i) == '/' && i + 1 < end && b.getByte(i + 1) == '*') {
                        depth++;
                        i += 2;
                    } else {
                        i++;
                    }
                }
            } else {
                return i;
            }
        }
        return i;
    }

    private static boolean startsWithIgnoreCase(Buffer b, int i, int end, String word) {
        if (end - i < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toLowerCase((char) b.getByte(i + k)) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static ShowCommand command(ClassifiedStatement st, ShowContext ctx) {
        String name = st.name().toLowerCase(Locale.ROOT);
        if (name.startsWith("pgpool ")) {
            return pgpool(st.text());
        }
        return switch (name) {
            case "pool_nodes" -> new PoolNodes(ctx.vertx());
            case "pool_status" -> new PoolStatus();
            case "pool_version" -> new PoolVersion();
            case "pool_processes" -> new PoolProcesses();
            case "pool_pools" -> new PoolPools();
            case "pool_backend_stats" -> new PoolBackendStats();
            case "pool_health_check_stats" -> new PoolHealthCheckStats(ctx.vertx());
            default -> null;
        };
    }

    /** PGPOOL SHOW/SET/RESET; a text outside their grammar answers its syntax error. */
    private static ShowCommand pgpool(String text) {
        PgpoolStatement p;
        try {
            p = PgpoolStatement.parse(text);
        } catch (ShowException e) {
            return ctx -> Future.failedFuture(e);
        }
        return p.verb() == PgpoolStatement.Verb.SHOW ? new PgpoolShow(p) : new PgpoolSet(p);
    }

    /** Runs (or only describes) {@code cmd}; a {@link ShowException} thrown at once becomes a failed future. */
    private static Future<ShowResult> start(ShowCommand cmd, ShowContext ctx, boolean execute) {
        try {
            return execute ? cmd.run(ctx) : cmd.describe(ctx);
        } catch (ShowException e) {
            return Future.failedFuture(e);
        }
    }

    /** The answer to a Query: rows (or a command's tag), CommandComplete, ReadyForQuery; or the client's error. */
    public static Future<Buffer> simple(ClassifiedStatement st, ShowContext ctx, byte txStatus) {
        ShowCommand cmd = command(st, ctx);
        if (cmd == null) {
            return Future.succeededFuture(unsupported(st.name()).appendBuffer(new ReadyForQuery(txStatus).encode()));
        }
        return start(cmd, ctx, true).map(r -> {
            Buffer out = r.hasRows() ? rowDescription(r.columns()) : Buffer.buffer();
            appendRows(out, r);
            return out.appendBuffer(new ReadyForQuery(txStatus).encode());
        }).recover(e -> e instanceof ShowException se
                ? Future.succeededFuture(se.toErrorResponse().encode().appendBuffer(new ReadyForQuery(txStatus).encode()))
                : Future.failedFuture(e));
    }

    /**
     * The answer to an extended-protocol batch given as letters (see
     * {@code ExtendedBatch.codes()}): ParseComplete, BindComplete, descriptions, rows, CloseComplete
     * and ReadyForQuery, each where the client's message stands. A batch without Execute only
     * describes: PGPOOL SET then changes nothing. A client error stands where the first
     * Describe or Execute does, and everything after it up to Sync is skipped, as PostgreSQL does.
     */
    public static Future<Buffer> extended(ClassifiedStatement st, String codes, ShowContext ctx, byte txStatus) {
        ShowCommand cmd = command(st, ctx);
        if (cmd == null) {
            Buffer out = unsupported(st.name());
            if (codes.indexOf('Y') >= 0) {
                out.appendBuffer(new ReadyForQuery(txStatus).encode());
            }
            return Future.succeededFuture(out);
        }
        return start(cmd, ctx, codes.indexOf('E') >= 0)
                .map(r -> answer(codes, r, txStatus))
                .recover(e -> e instanceof ShowException se
                        ? Future.succeededFuture(error(codes, se, txStatus))
                        : Future.failedFuture(e));
    }

    private static Buffer answer(String codes, ShowResult r, byte txStatus) {
        Buffer out = Buffer.buffer();
        for (char c : codes.toCharArray()) {
            switch (c) {
                case 'P' -> out.appendBuffer(empty(PgProtocol.Backend.PARSE_COMPLETE));
                case 'B' -> out.appendBuffer(empty(PgProtocol.Backend.BIND_COMPLETE));
                case 'S' -> out.appendBuffer(MessageBuilder.typed(PgProtocol.Backend.PARAMETER_DESCRIPTION).int16(0).build())
                        .appendBuffer(description(r));
                case 'p' -> out.appendBuffer(description(r));
                case 'E' -> appendRows(out, r);
                case 'C' -> out.appendBuffer(empty(PgProtocol.Backend.CLOSE_COMPLETE));
                case 'Y' -> out.appendBuffer(new ReadyForQuery(txStatus).encode());
                default -> {
                    // Flush: nothing to answer
                }
            }
        }
        return out;
    }

    private static Buffer error(String codes, ShowException e, byte txStatus) {
        Buffer out = Buffer.buffer();
        boolean failed = false;
        for (char c : codes.toCharArray()) {
            if (c == 'Y') {
                out.appendBuffer(new ReadyForQuery(txStatus).encode());
                failed = false;
            } else if (failed) {
                continue;
            } else if (c == 'P') {
                out.appendBuffer(empty(PgProtocol.Backend.PARSE_COMPLETE));
            } else if (c == 'B') {
                out.appendBuffer(empty(PgProtocol.Backend.BIND_COMPLETE));
            } else if (c == 'C') {
                out.appendBuffer(empty(PgProtocol.Backend.CLOSE_COMPLETE));
            } else if (c == 'S' || c == 'p' || c == 'E') {
                out.appendBuffer(e.toErrorResponse().encode());
                failed = true;
            }
        }
        return out;
    }

    /** RowDescription, or NoData for a command without rows. */
    private static Buffer description(ShowResult r) {
        return r.hasRows() ? rowDescription(r.columns()) : empty(PgProtocol.Backend.NO_DATA);
    }

    private static Buffer unsupported(String name) {
        return ErrorResponse.error(SqlState.FEATURE_NOT_SUPPORTED, "vxpool does not support \"" + name + "\"").encode();
    }

    private static Buffer empty(byte type) {
        return MessageBuilder.typed(type).build();
    }

    static Buffer rowDescription(List<String> columns) {
        MessageBuilder m = MessageBuilder.typed(PgProtocol.Backend.ROW_DESCRIPTION).int16(columns.size());
        for (String c : columns) {
            m.cstring(c).int32(0).int16(0).int32(TEXT_OID).int16(-1).int32(-1).int16(0);
        }
        return m.build();
    }

    private static void appendRows(Buffer out, ShowResult r) {
        for (List<String> row : r.rows()) {
            MessageBuilder m = MessageBuilder.typed(PgProtocol.Backend.DATA_ROW).int16(row.size());
            for (String v : row) {
                if (v == null) {
                    m.int32(-1);
                } else {
                    byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
                    m.int32(bytes.length).bytes(Buffer.buffer(bytes));
                }
            }
            out.appendBuffer(m.build());
        }
        out.appendBuffer(MessageBuilder.typed(PgProtocol.Backend.COMMAND_COMPLETE).cstring(r.commandTag()).build());
    }
}
