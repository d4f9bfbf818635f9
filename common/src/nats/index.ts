/**
 * The event bus on NATS JetStream: connection, streams, publisher, the listener base class and dead
 * letters.
 */
export * from './connection';
export * from './streams';
export * from './publisher';
export * from './listener';
export * from './dead-letter';
