package org.vxpool.proxy.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Transaction pooling: what vxpool expects back from one lent backend connection, in send order:
 * one mark per Parse, Close and Sync/Query sent, whether the client sees the answer, and which
 * internal statement a Parse or Close concerns. ParseComplete, CloseComplete and ReadyForQuery
 * each consume the oldest mark of their kind; an error makes the backend skip to the next Sync,
 * and {@link #ready} returns the marks skipped that way.
 */
final class TxMarks {
    enum Kind { PARSE, CLOSE, SYNC }

    /**
     * @param internal PARSE/CLOSE: the statement's name on the backend, or null (unnamed, or a Close vxpool answers)
     * @param clientName PARSE: the client's name for a statement it parsed itself (with no internal
     *     name: a redefinition that must fail)
     * @param onSuccess SYNC: run when the unit ends without an error (a tracked SET took effect)
     */
    record Mark(Kind kind, boolean hidden, String internal, String clientName, Runnable onSuccess) {
        /** A client's Parse of a name it already uses, made to fail on the backend (no internal statement). */
        boolean redefines() {
            return kind == Kind.PARSE && internal == null && clientName != null;
        }
    }

    private final ArrayDeque<Mark> marks = new ArrayDeque<>();
    /** The answers before the next ReadyForQuery belong to a unit the client does not see. */
    private boolean unitHidden;

    void push(Kind kind, boolean hidden, String internal, String clientName) {
        marks.addLast(new Mark(kind, hidden, internal, clientName, null));
        recompute();
    }

    /** A Sync, Query or FunctionCall: one ReadyForQuery. */
    void pushSync(boolean hidden, Runnable onSuccess) {
        marks.addLast(new Mark(Kind.SYNC, hidden, null, null, onSuccess));
        recompute();
    }

    boolean unitHidden() {
        return unitHidden;
    }

    /** The oldest mark, if it is of {@code kind}, consumed; else null (the answer is passed on). */
    Mark take(Kind kind) {
        Mark m = marks.peekFirst();
        if (m == null || m.kind() != kind) {
            return null;
        }
        marks.pollFirst();
        return m;
    }

    /** The mark an ErrorResponse most likely answers: the oldest Parse not yet answered, or null. */
    Mark pendingParse() {
        Mark m = marks.peekFirst();
        return m != null && m.kind() == Kind.PARSE ? m : null;
    }

    /**
     * A ReadyForQuery arrived.
     *
     * @param skipped receives the Parse/Close marks the backend skipped after an error
     * @return the Sync mark it answers, or null if none was pending
     */
    Mark ready(List<Mark> skipped) {
        Mark sync = null;
        while (!marks.isEmpty()) {
            Mark m = marks.pollFirst();
            if (m.kind() == Kind.SYNC) {
                sync = m;
                break;
            }
            skipped.add(m);
        }
        recompute();
        return sync;
    }

    /**
     * Whether a Parse vxpool added in front of a client's Bind or Describe is still unanswered. It
     * fails when its unit fails first (an aborted transaction, a statement before it): a later
     * unit written now would count on the statement being there.
     */
    boolean ownParsePending() {
        for (Mark m : marks) {
            if (m.kind() == Kind.PARSE && m.hidden() && m.internal() != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a Parse of a named statement (the client's or vxpool's) is still unanswered: the
     * connection's statement cache counts on it, so another client's unit that may use the
     * statement must not be pipelined behind it until it has succeeded.
     */
    boolean namedParsePending() {
        for (Mark m : marks) {
            if (m.kind() == Kind.PARSE && m.internal() != null) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return marks.isEmpty();
    }

    /** How many units the client sees are still expected (not counting vxpool's own settings Query). */
    int shownUnitsPending() {
        int n = 0;
        for (Mark m : marks) {
            if (m.kind() == Kind.SYNC && !m.hidden()) {
                n++;
            }
        }
        return n;
    }

    /** Everything still expected, e.g. when the connection is lost. */
    List<Mark> drain() {
        List<Mark> all = new ArrayList<>(marks);
        marks.clear();
        recompute();
        return all;
    }

    private void recompute() {
        unitHidden = false;
        for (Mark m : marks) {
            if (m.kind() == Kind.SYNC) {
                unitHidden = m.hidden();
                return;
            }
        }
    }
}
