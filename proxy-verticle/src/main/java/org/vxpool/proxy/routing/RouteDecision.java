package org.vxpool.proxy.routing;

/**
 * The router's answer.
 *
 * @param nodeId the backend for PRIMARY and LOAD_BALANCE_NODE; -1 for the other targets
 * @param reason why, in words fit for a debug log or an error message
 * @param context the session's routing state after this statement
 */
public record RouteDecision(RouteTarget target, int nodeId, String reason, RoutingContext context) {

    public RouteDecision withContext(RoutingContext next) {
        return new RouteDecision(target, nodeId, reason, next);
    }
}
