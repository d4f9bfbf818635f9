/**
 * The package every service imports (`@ticketing/common`): errors, middlewares, configuration,
 * logger, events, the NATS listener and publisher, batched commands, pending events and the service runner. Test
 * support and engines are separate entry points (`/testing`, `/engines`).
 */
export * from './errors';
export * from './middlewares/error-handler';
export * from './middlewares/current-user';
export * from './middlewares/validate-request';
export * from './middlewares/request-id';
export * from './middlewares/validators';
export * from './config';
export * from './fees';
export * from './logger/logger';
export * from './events';
export * from './nats';
export * from './batching';
export * from './pending-events';
export * from './service';
export * from './api';
export * from './users';
export * from './live';
