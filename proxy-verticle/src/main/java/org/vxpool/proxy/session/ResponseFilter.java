package org.vxpool.proxy.session;

import java.util.ArrayDeque;

/**
 * Which of one backend's answers the client must not see: the ParseComplete of a Parse vxpool
 * sent on its own (a named statement re-prepared there), and every answer of a unit sent only to
 * keep a second backend in step (SET on the standby, Close of a statement prepared elsewhere).
 * Marks are queued in send order and consumed in answer order; a backend with no marks relays
 * everything, so the single-backend path never touches the queue.
 */
final class ResponseFilter {
    enum Mark { PARSE_SHOWN, PARSE_HIDDEN, SYNC_SHOWN, SYNC_HIDDEN }

    private final ArrayDeque<Mark> marks = new ArrayDeque<>();
    /** The answers before the next ReadyForQuery belong to a hidden unit. */
    private boolean hidden;

    void push(Mark m) {
        marks.addLast(m);
        recompute();
    }

    boolean hidden() {
        return hidden;
    }

    /** A ParseComplete arrived: whether to hide it. */
    boolean parseComplete() {
        for (var it = marks.iterator(); it.hasNext(); ) {
            Mark m = it.next();
            if (m == Mark.SYNC_SHOWN || m == Mark.SYNC_HIDDEN) {
                return hidden;
            }
            it.remove();
            return hidden || m == Mark.PARSE_HIDDEN;
        }
        return hidden;
    }

    /**
     * A ReadyForQuery arrived: whether it ends a hidden unit. Parses of the unit that earned no
     * ParseComplete (an error skipped them) are dropped with it.
     */
    boolean ready() {
        boolean wasHidden = hidden;
        while (!marks.isEmpty()) {
            Mark m = marks.pollFirst();
            if (m == Mark.SYNC_SHOWN || m == Mark.SYNC_HIDDEN) {
                break;
            }
        }
        recompute();
        return wasHidden;
    }

    private void recompute() {
        hidden = false;
        if (marks.isEmpty()) {
            // every ReadyForQuery of a single-backend session ends here: no iterator allocated
            return;
        }
        for (Mark m : marks) {
            if (m == Mark.SYNC_SHOWN || m == Mark.SYNC_HIDDEN) {
                hidden = m == Mark.SYNC_HIDDEN;
                return;
            }
        }
    }
}
