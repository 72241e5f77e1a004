package org.vxpool.common.config;

/**
 * One vxpool node of the watchdog cluster.
 *
 * @param id the 4.2+ index ({@code hostnameN}); for 3.x files see {@link WatchdogConfig}
 * @param wdPort the watchdog (Hazelcast) port
 * @param pgpoolPort the port clients connect to
 */
public record WatchdogMember(int id, String host, int wdPort, int pgpoolPort) {

    /** "host:wdPort", the Hazelcast member address. */
    public String wdAddress() {
        return host + ":" + wdPort;
    }
}
