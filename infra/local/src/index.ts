/**
 * What other workspaces (bench, the client's e2e tests) use of the one-machine stack runner, and the
 * events they list tickets for.
 */
export { startStack, prefixLine } from './stack';
export type { Stack, StackOptions, ServiceHandle, ProcessExit } from './stack';
export { startGateway } from './gateway';
export type { Gateway, GatewayOptions } from './gateway';
export { loadIngressRules, parseIngressRules, matchIngressRoute } from './ingress-rules';
export type { IngressRules, IngressRoute } from './ingress-rules';
export { SERVICES } from './service-table';
export { serviceDatabases, withDatabase } from './databases';
export type { ServiceDatabases } from './databases';
export { pendingEvents, SERVICES_WITH_EVENTS } from './pending-events';
export { addEvent, eventInput, startsIn } from './catalogue-fixtures';
