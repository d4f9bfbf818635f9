/**
 * Test support for every workspace: a service's real definition under test (useService), real engines
 * (embedded Mongo, nats-server) per test file, real signed session cookies, and readers for what was
 * actually published. Uses jest's lifecycle globals.
 */
export * from './session';
export * from './wait-for';
export * from './events';
export * from './test-environment';
export * from './use-service';
export * from './malformed-events';
export * from './event-stream';
