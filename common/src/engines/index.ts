/**
 * Real engines (MongoDB, NATS, Redis) started as child processes, for tests, the local stack and
 * the bench (`@ticketing/common/engines`).
 */
export * from './process';
export * from './engines';
