package org.vxpool.proxy.session;

import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.MessageBuilder;
import org.vxpool.proxy.protocol.ParameterStatus;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.Query;
import org.vxpool.proxy.protocol.ReadyForQuery;
import org.vxpool.proxy.protocol.SqlState;

/** Transaction pooling: the answers vxpool gives itself, for a Query or an extended batch. */
final class TxAnswers {
    private TxAnswers() {
    }

    /** An ERROR and ReadyForQuery, for a Query or a batch up to Sync (the backend skips to Sync too). */
    static Buffer error(ErrorResponse error, byte txStatus) {
        return Buffer.buffer().appendBuffer(error.encode()).appendBuffer(new ReadyForQuery(txStatus).encode());
    }

    /**
     * A command vxpool completes itself, as PostgreSQL would answer it.
     *
     * @param codes null for a simple Query, else the batch's letters ({@link ExtendedBatch#codes})
     * @param status ParameterStatus messages the command causes, sent before its completion
     */
    static Buffer command(String codes, String tag, Map<String, String> status, byte txStatus) {
        Buffer out = Buffer.buffer();
        status.forEach((k, v) -> out.appendBuffer(new ParameterStatus(k, v).encode()));
        if (codes == null) {
            return out.appendBuffer(commandComplete(tag)).appendBuffer(new ReadyForQuery(txStatus).encode());
        }
        for (char c : codes.toCharArray()) {
            switch (c) {
                case 'P' -> out.appendBuffer(empty(PgProtocol.Backend.PARSE_COMPLETE));
                case 'B' -> out.appendBuffer(empty(PgProtocol.Backend.BIND_COMPLETE));
                case 'C' -> out.appendBuffer(empty(PgProtocol.Backend.CLOSE_COMPLETE));
                case 'S' -> out.appendBuffer(MessageBuilder.typed(PgProtocol.Backend.PARAMETER_DESCRIPTION).int16(0).build())
                        .appendBuffer(empty(PgProtocol.Backend.NO_DATA));
                case 'p' -> out.appendBuffer(empty(PgProtocol.Backend.NO_DATA));
                case 'E' -> out.appendBuffer(commandComplete(tag));
                case 'Y' -> out.appendBuffer(new ReadyForQuery(txStatus).encode());
                default -> {
                    // Flush: nothing to answer
                }
            }
        }
        return out;
    }

    static ErrorResponse refused(String message) {
        return ErrorResponse.error(SqlState.FEATURE_NOT_SUPPORTED, message);
    }

    /**
     * A statement that fails on the backend with {@code message}: inside a transaction a refusal
     * must abort it there too, or a later COMMIT would commit what the client saw fail.
     */
    static Buffer failingQuery(String sqlState, String message) {
        String literal = "'" + message.replace("'", "''") + "'";
        return new Query("DO $vx$BEGIN RAISE EXCEPTION USING ERRCODE = '" + sqlState + "', MESSAGE = " + literal
                + "; END$vx$").encode();
    }

    private static Buffer commandComplete(String tag) {
        return MessageBuilder.typed(PgProtocol.Backend.COMMAND_COMPLETE).cstring(tag).build();
    }

    private static Buffer empty(byte type) {
        return MessageBuilder.typed(type).build();
    }
}
