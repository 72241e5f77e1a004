package org.vxpool.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.regex.Pattern;
import org.slf4j.Marker;

/**
 * Drops Micrometer's "This Gauge has been already registered" when the meter is one of Vert.x's.
 * vertx-micrometer 5.0.7 registers a gauge again for every event-bus consumer, SQL pool and net
 * client it instruments, on purpose: its LongGauges hand every registration the same counter, so
 * the values are right (vert-x3/vertx-micrometer-metrics#259, micrometer-metrics/micrometer#6931,
 * both open). Micrometer 1.14+ warns about each repeat, which vxpool logged at every start. A
 * repeat of any other meter, vxpool's own included, is still logged.
 */
final class VertxGaugeWarningFilter extends TurboFilter {
    static final String REGISTRY_LOGGER = "io.micrometer.core.instrument.MeterRegistry";
    private static final Pattern VERTX_METER = Pattern.compile("This \\w+ has been already registered \\(MeterId\\{name='vertx\\.");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        return format != null && REGISTRY_LOGGER.equals(logger.getName()) && VERTX_METER.matcher(format).lookingAt()
                ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
