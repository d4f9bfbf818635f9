/**
 * Events stored with the change that causes them, the writes that keep them safe, and the relay
 * that publishes them (ADR 005).
 */
export * from './pending-events';
export * from './relay';
export * from './writes';
