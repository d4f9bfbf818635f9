export { startStack, withDatabase, prefixLine } from './stack';
export type { Stack, StackOptions, ServiceHandle, ProcessExit } from './stack';
export { startGateway } from './gateway';
export type { Gateway, GatewayOptions } from './gateway';
export { loadIngressRules, parseIngressRules, matchIngressRoute } from './ingress-rules';
export type { IngressRules, IngressRoute } from './ingress-rules';
export { SERVICES } from './service-table';
export { serviceDatabases } from './databases';
export type { ServiceDatabases } from './databases';
