package org.vxpool.proxy.session;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.vxpool.proxy.pool.BackendConnection;
import org.vxpool.proxy.protocol.MessageBuilder;
import org.vxpool.proxy.protocol.Parse;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.routing.Classification;
import org.vxpool.proxy.routing.ClassifiedStatement;
import org.vxpool.proxy.routing.StatementKind;
import org.vxpool.proxy.session.TxMarks.Kind;
import org.vxpool.proxy.session.TxStatementPolicy.Action;
import org.vxpool.proxy.session.TxStatementPolicy.Verdict;

/**
 * Transaction pooling: writes a client's extended-protocol batch to whichever connection its
 * transaction got. Named statements go by their internal names, prepared first (unseen) where the
 * connection lacks them; a Parse of a statement the connection already has becomes a Parse of the
 * empty query, so the client still gets its ParseComplete in order; a Close of a named statement
 * only forgets the client's name (other clients may share the statement) and is answered by a
 * Close of a name that never exists. The client's unnamed statement is parsed again when another
 * client, or vxpool, replaced it on the connection.
 */
final class TxStatementWriter {
    /** Never a statement name vxpool creates (those are vx_ and hex digits). */
    private static final String NO_STATEMENT = "vx_closed";
    /** Where a client's redefinition of a named statement fails, as PostgreSQL makes it fail. */
    private static final String REDEFINED = "vx_redefined";

    private final TransactionSession tx;
    /** The client's last Parse of the unnamed statement. */
    private Parse unnamed;
    /** Whether the lent connection's unnamed statement is the client's. */
    private boolean unnamedOnConnection;
    /** The last Parse collected and its frame, so that sending it does not decode it again. */
    private Buffer decodedFrame;
    private Parse decoded;

    TxStatementWriter(TransactionSession tx) {
        this.tx = tx;
    }

    void connectionChanged() {
        unnamedOnConnection = false;
    }

    void forgetUnnamed() {
        unnamed = null;
    }

    /**
     * A Parse joins the batch: classified, judged, and a named one registered.
     *
     * @return the statement name, or null for a Parse of a name the client already uses: PostgreSQL
     *     refuses that with 42P05 (only the unnamed statement is replaced silently), see {@link #redefine}
     */
    String collectParse(ExtendedBatch batch, List<Verdict> verdicts, Buffer frame) {
        Parse p = Parse.decode(frame.slice(5, frame.length()));
        decodedFrame = frame;
        decoded = p;
        tx.s.logging().statement(p.query());
        ClassifiedStatement cs;
        Verdict v;
        if (!tx.balancing() && TxPolicyScreen.plain(p.query())) {
            // the primary runs it whatever it is, and the policy has nothing to say (see TransactionSession#query)
            cs = TxPolicyScreen.screened(p.query());
            v = Verdict.PASS;
        } else {
            Classification c = tx.s.ctx.classifier().classify(p.query(), true);
            cs = c.statements().size() == 1 ? c.single()
                    : ClassifiedStatement.of(c.isEmpty() ? StatementKind.READ : StatementKind.UNKNOWN, "parse", p.query());
            v = c.isEmpty() ? Verdict.PASS : tx.judgeOne(cs);
        }
        verdicts.add(v);
        batch.statements.add(cs);
        batch.seen.add(p.name());
        if (!p.name().isEmpty() && v.action() != Action.REFUSE) {
            if (tx.statements.get(p.name()) != null) {
                return null;
            }
            tx.statements.register(p, cs);
        }
        return p.name();
    }

    /**
     * A Close of a named statement forgets the client's name when it is read, not when it is
     * sent: a Parse of that name pipelined after it must not count as a redefinition.
     */
    String collectClose(String name) {
        if (!name.isEmpty()) {
            tx.statements.remove(name);
        }
        return name;
    }

    /**
     * A Bind of {@code name}: as {@link #uses}, and a session statement prepared before this batch
     * is judged again, since it runs again: JDBC prepares {@code SET work_mem = ...} once and then
     * only binds it, and each run must be tracked (or refused inside a transaction) like the first,
     * or the connection keeps a value vxpool does not know of and lends it to other clients.
     */
    String binds(ExtendedBatch batch, List<Verdict> verdicts, String name) {
        if (!name.isEmpty()) {
            ClientStatements.Entry e = tx.statements.get(name);
            // the kind check keeps the policy off the hot path of every other Bind
            if (e != null && e.classification().kind() == StatementKind.SESSION_SET && !parsedIn(batch, name)) {
                verdicts.add(tx.judgeOne(e.classification()));
            }
        }
        return uses(batch, name);
    }

    private static boolean parsedIn(ExtendedBatch batch, String name) {
        for (ExtendedBatch.Item it : batch.items) {
            if (it.type() == PgProtocol.Frontend.PARSE && name.equals(it.statement())) {
                return true;
            }
        }
        return false;
    }

    /** A Bind or Describe of {@code name}: its classification routes the batch unless a Parse did. */
    String uses(ExtendedBatch batch, String name) {
        if (!name.isEmpty() && batch.seen.add(name)) {
            ClientStatements.Entry e = tx.statements.get(name);
            if (e != null) {
                batch.statements.add(e.classification());
            }
        }
        return name;
    }

    /**
     * Writes the batch in one buffer from the connection's allocator, without a promise: one copy
     * of each frame, none more on the way to the socket.
     */
    void sendBatch(BackendConnection c, RelayWriter to, ExtendedBatch b, Runnable onSuccess) {
        ByteBuf out = to.allocate(b.length() + 64);
        try {
            for (ExtendedBatch.Item it : b.items) {
                item(c, out, it, onSuccess);
            }
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            decodedFrame = null;
            decoded = null;
        }
        to.writeOwned(out);
    }

    private void item(BackendConnection c, ByteBuf out, ExtendedBatch.Item it, Runnable onSuccess) {
        switch (it.type()) {
            case PgProtocol.Frontend.PARSE -> {
                if (it.statement() == null) {
                    redefine(c, out, it.frame());
                } else {
                    parse(c, out, it.frame());
                }
            }
            case PgProtocol.Frontend.BIND -> {
                ClientStatements.Entry e = prepared(c, out, it.statement());
                if (e == null) {
                    append(c, out, PgProtocol.Frontend.BIND, it.frame());
                } else {
                    c.sent(PgProtocol.Frontend.BIND);
                    appendRenamedBind(out, it.frame(), e.internal());
                }
            }
            case PgProtocol.Frontend.DESCRIBE -> {
                ClientStatements.Entry e = it.statement() == null ? null : prepared(c, out, it.statement());
                append(c, out, PgProtocol.Frontend.DESCRIBE, e == null ? it.frame()
                        : MessageBuilder.typed(PgProtocol.Frontend.DESCRIBE).int8('S').cstring(e.internal()).build());
            }
            case PgProtocol.Frontend.CLOSE -> close(c, out, it);
            case PgProtocol.Frontend.SYNC -> {
                tx.marks.pushSync(false, onSuccess);
                append(c, out, it.type(), it.frame());
            }
            default -> append(c, out, it.type(), it.frame());
        }
    }

    /** The Parse in {@code frame}, decoded when it was collected if it was the last one. */
    private Parse decode(Buffer frame) {
        return frame == decodedFrame ? decoded : Parse.decode(frame.slice(5, frame.length()));
    }

    private void parse(BackendConnection c, ByteBuf out, Buffer frame) {
        Parse p = decode(frame);
        tx.s.logging().nodeStatement(c.node().id(), p.query());
        if (p.name().isEmpty()) {
            unnamed = p;
            unnamedOnConnection = true;
            tx.marks.push(Kind.PARSE, false, null, null);
            append(c, out, PgProtocol.Frontend.PARSE, frame);
            return;
        }
        ClientStatements.Entry e = tx.statements.get(p.name());
        if (e == null) {
            // refused when collected: the backend says why it does not exist later
            tx.marks.push(Kind.PARSE, false, null, null);
            append(c, out, PgProtocol.Frontend.PARSE, new Parse("", "", List.of()).encode());
            unnamedOnConnection = false;
            return;
        }
        if (c.statements().contains(e.internal())) {
            // the client must see a ParseComplete here, in order: the empty query is the cheapest Parse there is
            tx.marks.push(Kind.PARSE, false, null, null);
            append(c, out, PgProtocol.Frontend.PARSE, new Parse("", "", List.of()).encode());
            unnamedOnConnection = false;
            return;
        }
        evict(c, out, c.statements().add(e.internal()));
        tx.marks.push(Kind.PARSE, false, e.internal(), e.name());
        append(c, out, PgProtocol.Frontend.PARSE, e.parse().encode());
    }

    /**
     * A Parse of a name in use fails on the backend where the client's statement would have been
     * stored, so that everything PostgreSQL checks first (an aborted transaction, the text's
     * syntax) fails as it would, the rest of the batch is skipped, and a transaction is aborted.
     * The client's text is parsed under a name made to exist just before; {@link TxRelay} shows
     * the 42P05 with the client's name.
     */
    private void redefine(BackendConnection c, ByteBuf out, Buffer frame) {
        Parse p = decode(frame);
        tx.s.logging().nodeStatement(c.node().id(), p.query());
        tx.marks.push(Kind.CLOSE, true, null, null);
        append(c, out, PgProtocol.Frontend.CLOSE, closeStatement(REDEFINED));
        tx.marks.push(Kind.PARSE, true, null, null);
        append(c, out, PgProtocol.Frontend.PARSE, new Parse(REDEFINED, "", List.of()).encode());
        tx.marks.push(Kind.PARSE, false, null, p.name());
        append(c, out, PgProtocol.Frontend.PARSE, new Parse(REDEFINED, p.query(), p.parameterTypes()).encode());
    }

    /** The entry {@code name} stands for, prepared on {@code c} first if needed; null for the unnamed or an unknown one. */
    private ClientStatements.Entry prepared(BackendConnection c, ByteBuf out, String name) {
        if (name == null) {
            return null;
        }
        if (name.isEmpty()) {
            if (!unnamedOnConnection && unnamed != null) {
                tx.marks.push(Kind.PARSE, true, null, null);
                append(c, out, PgProtocol.Frontend.PARSE, unnamed.encode());
                unnamedOnConnection = true;
            }
            return null;
        }
        ClientStatements.Entry e = tx.statements.get(name);
        if (e != null && !c.statements().contains(e.internal())) {
            evict(c, out, c.statements().add(e.internal()));
            tx.marks.push(Kind.PARSE, true, e.internal(), null);
            append(c, out, PgProtocol.Frontend.PARSE, e.parse().encode());
        }
        return e;
    }

    private void close(BackendConnection c, ByteBuf out, ExtendedBatch.Item it) {
        String name = it.statement();
        tx.marks.push(Kind.CLOSE, false, null, null);
        if (name == null || name.isEmpty()) {
            if (name != null) {
                unnamed = null;
            }
            append(c, out, PgProtocol.Frontend.CLOSE, it.frame());
            return;
        }
        append(c, out, PgProtocol.Frontend.CLOSE, closeStatement(NO_STATEMENT));
    }

    private void evict(BackendConnection c, ByteBuf out, List<String> names) {
        for (String n : names) {
            tx.marks.push(Kind.CLOSE, true, n, null);
            append(c, out, PgProtocol.Frontend.CLOSE, closeStatement(n));
        }
    }

    private static void append(BackendConnection c, ByteBuf out, byte type, Buffer frame) {
        c.sent(type);
        RelayWriter.copyInto(out, frame);
    }

    private static Buffer closeStatement(String name) {
        return MessageBuilder.typed(PgProtocol.Frontend.CLOSE).int8('S').cstring(name).build();
    }

    /**
     * Bind (F) with the statement name replaced, written straight into {@code out}: the portal
     * name and the parameters are copied once, never decoded.
     */
    static void appendRenamedBind(ByteBuf out, Buffer frame, String statement) {
        int portalEnd = end(frame, 5);
        int stmtEnd = end(frame, portalEnd + 1);
        int start = out.writerIndex();
        out.writeByte(PgProtocol.Frontend.BIND).writeInt(0);
        RelayWriter.copyInto(out, frame, 5, portalEnd + 1);
        out.writeCharSequence(statement, StandardCharsets.UTF_8);
        out.writeByte(0);
        RelayWriter.copyInto(out, frame, stmtEnd + 1, frame.length());
        out.setInt(start + 1, out.writerIndex() - start - 1);
    }

    /** The statement name of a Bind (F) frame. */
    static String bindStatement(Buffer frame) {
        return cstring(frame, end(frame, 5) + 1);
    }

    static String cstring(Buffer b, int from) {
        int end = end(b, from);
        // the unnamed statement and portal, in every Bind and Describe of extended-protocol clients
        return end == from ? "" : b.getString(from, end);
    }

    private static int end(Buffer b, int from) {
        int i = from;
        while (i < b.length() && b.getByte(i) != 0) {
            i++;
        }
        return i;
    }
}
