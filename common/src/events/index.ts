/**
 * Events: their subjects, payload types and schemas, and the version rule replicas apply them by.
 */
export * from './subjects';
export * from './events';
export * from './version';
export * from './schemas';
