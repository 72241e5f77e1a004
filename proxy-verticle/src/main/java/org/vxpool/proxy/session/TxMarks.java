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

    /** Rarely more than a unit's Parse, Close and Sync (a few with pipelined batches). */
    private final ArrayDeque<Mark> marks = new ArrayDeque<>(4);
    /** The answers before the next ReadyForQuery belong to a unit the client does not see. */
    private boolean unitHidden;
    /*
     * Counts of the marks queued, kept as they are added and consumed: the pipelining checks ask
     * for them per unit and per connection looked at, and walking the queue (with an iterator)
     * each time showed in profiles.
     */
    private int syncs;
    private int shownSyncs;
    /** Parses of a named statement (internal name set). */
    private int namedParses;
    /** Of those, the ones vxpool added itself (hidden). */
    private int ownParses;

    void push(Kind kind, boolean hidden, String internal, String clientName) {
        add(new Mark(kind, hidden, internal, clientName, null));
    }

    /** A Sync, Query or FunctionCall: one ReadyForQuery. */
    void pushSync(boolean hidden, Runnable onSuccess) {
        add(new Mark(Kind.SYNC, hidden, null, null, onSuccess));
    }

    private void add(Mark m) {
        if (m.kind() == Kind.SYNC && syncs == 0) {
            // the first Sync queued: the answers up to its ReadyForQuery are this unit's
            unitHidden = m.hidden();
        }
        marks.addLast(m);
        count(m, 1);
    }

    private Mark removeFirst() {
        Mark m = marks.pollFirst();
        if (m != null) {
            count(m, -1);
        }
        return m;
    }

    private void count(Mark m, int d) {
        if (m.kind() == Kind.SYNC) {
            syncs += d;
            if (!m.hidden()) {
                shownSyncs += d;
            }
        } else if (m.kind() == Kind.PARSE && m.internal() != null) {
            namedParses += d;
            if (m.hidden()) {
                ownParses += d;
            }
        }
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
        removeFirst();
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
            Mark m = removeFirst();
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
        return ownParses > 0;
    }

    /**
     * Whether a Parse of a named statement (the client's or vxpool's) is still unanswered: the
     * connection's statement cache counts on it, so another client's unit that may use the
     * statement must not be pipelined behind it until it has succeeded.
     */
    boolean namedParsePending() {
        return namedParses > 0;
    }

    boolean isEmpty() {
        return marks.isEmpty();
    }

    /** How many units the client sees are still expected (not counting vxpool's own settings Query). */
    int shownUnitsPending() {
        return shownSyncs;
    }

    /** Everything still expected, e.g. when the connection is lost. */
    List<Mark> drain() {
        List<Mark> all = new ArrayList<>(marks);
        marks.clear();
        syncs = 0;
        shownSyncs = 0;
        namedParses = 0;
        ownParses = 0;
        recompute();
        return all;
    }

    /** After a ReadyForQuery consumed the first Sync: the next one's unit decides. */
    private void recompute() {
        unitHidden = false;
        if (syncs == 0) {
            return;
        }
        for (Mark m : marks) {
            if (m.kind() == Kind.SYNC) {
                unitHidden = m.hidden();
                return;
            }
        }
    }
}
