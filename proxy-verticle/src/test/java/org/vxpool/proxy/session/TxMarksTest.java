package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vxpool.proxy.session.TxMarks.Kind;
import org.vxpool.proxy.session.TxMarks.Mark;

/** The counts TxMarks keeps as marks come and go must say what a walk of its queue would. */
class TxMarksTest {

    @Test
    void aHiddenSettingsQueryThenAShownUnitWithVxpoolsOwnParse() {
        TxMarks m = new TxMarks();
        m.pushSync(true, null);                      // settings Query before the client's unit
        m.push(Kind.PARSE, true, "vx_1", null);      // vxpool's Parse in front of a Bind
        m.pushSync(false, null);
        assertThat(m.unitHidden()).isTrue();
        assertThat(m.shownUnitsPending()).isEqualTo(1);
        assertThat(m.namedParsePending()).isTrue();
        assertThat(m.ownParsePending()).isTrue();

        List<Mark> skipped = new ArrayList<>();
        assertThat(m.ready(skipped).hidden()).isTrue();
        assertThat(skipped).isEmpty();
        assertThat(m.unitHidden()).as("the next unit is the client's").isFalse();
        assertThat(m.take(Kind.PARSE).internal()).isEqualTo("vx_1");
        assertThat(m.namedParsePending()).isFalse();
        assertThat(m.ownParsePending()).isFalse();
        assertThat(m.shownUnitsPending()).isEqualTo(1);

        assertThat(m.ready(skipped).hidden()).isFalse();
        assertThat(m.isEmpty()).isTrue();
        assertThat(m.shownUnitsPending()).isZero();
    }

    @Test
    void marksSkippedByAnErrorLeaveTheCountsWithTheirReadyForQuery() {
        TxMarks m = new TxMarks();
        m.push(Kind.PARSE, false, "vx_2", "P0_1");   // the client's own named Parse
        m.push(Kind.CLOSE, false, "vx_3", null);
        m.pushSync(false, null);
        m.pushSync(false, null);
        assertThat(m.namedParsePending()).isTrue();
        assertThat(m.ownParsePending()).as("the client's Parse is not vxpool's own").isFalse();
        assertThat(m.shownUnitsPending()).isEqualTo(2);
        assertThat(m.take(Kind.CLOSE)).as("not the oldest mark").isNull();

        List<Mark> skipped = new ArrayList<>();
        m.ready(skipped);
        assertThat(skipped).extracting(Mark::kind).containsExactly(Kind.PARSE, Kind.CLOSE);
        assertThat(m.namedParsePending()).isFalse();
        assertThat(m.shownUnitsPending()).isEqualTo(1);
        assertThat(m.unitHidden()).isFalse();
    }

    @Test
    void drainEmptiesTheCounts() {
        TxMarks m = new TxMarks();
        m.pushSync(true, null);
        m.push(Kind.PARSE, true, "vx_4", null);
        m.pushSync(false, null);
        assertThat(m.drain()).hasSize(3);
        assertThat(m.unitHidden()).isFalse();
        assertThat(m.shownUnitsPending()).isZero();
        assertThat(m.namedParsePending()).isFalse();
        assertThat(m.ownParsePending()).isFalse();
        m.pushSync(false, null);
        assertThat(m.unitHidden()).isFalse();
        assertThat(m.shownUnitsPending()).isEqualTo(1);
    }

    @Test
    void anUnnamedParseIsNotANamedOne() {
        TxMarks m = new TxMarks();
        m.push(Kind.PARSE, false, null, null);
        m.pushSync(true, null);
        assertThat(m.namedParsePending()).isFalse();
        assertThat(m.unitHidden()).isTrue();
        assertThat(m.shownUnitsPending()).isZero();
    }
}
