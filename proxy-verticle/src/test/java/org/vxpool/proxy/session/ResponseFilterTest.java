package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vxpool.proxy.session.ResponseFilter.Mark;

/** Which backend answers the client sees, in the order the backend sends them. */
class ResponseFilterTest {

    @Test
    void noMarksShowsEverything() {
        ResponseFilter f = new ResponseFilter();
        assertThat(f.hidden()).isFalse();
        assertThat(f.parseComplete()).isFalse();
        assertThat(f.ready()).isFalse();
    }

    @Test
    void injectedParseIsHiddenAndTheClientsOwnIsShown() {
        ResponseFilter f = new ResponseFilter();
        f.push(Mark.PARSE_SHOWN);   // client's Parse of the unnamed statement
        f.push(Mark.PARSE_HIDDEN);  // vxpool's Parse of S1 before the client's Bind of S1
        f.push(Mark.SYNC_SHOWN);
        assertThat(f.hidden()).isFalse();
        assertThat(f.parseComplete()).isFalse();
        assertThat(f.parseComplete()).isTrue();
        assertThat(f.ready()).isFalse();
    }

    @Test
    void anErrorThatSkipsParsesDropsTheirMarksAtReadyForQuery() {
        ResponseFilter f = new ResponseFilter();
        f.push(Mark.PARSE_SHOWN);
        f.push(Mark.PARSE_HIDDEN);
        f.push(Mark.SYNC_SHOWN);
        f.push(Mark.PARSE_HIDDEN);
        f.push(Mark.SYNC_SHOWN);
        // the first Parse failed: no ParseComplete at all before ReadyForQuery
        assertThat(f.ready()).isFalse();
        assertThat(f.parseComplete()).isTrue();
        assertThat(f.ready()).isFalse();
    }

    @Test
    void aHiddenUnitHidesEverythingUntilItsReadyForQuery() {
        ResponseFilter f = new ResponseFilter();
        f.push(Mark.SYNC_HIDDEN);   // SET replayed on the standby
        f.push(Mark.SYNC_SHOWN);    // the client's read
        assertThat(f.hidden()).isTrue();
        assertThat(f.ready()).isTrue();
        assertThat(f.hidden()).isFalse();
        assertThat(f.ready()).isFalse();
    }
}
