/**
 * Database commands shared by concurrent callers (group commit): inserts and reads by key.
 */
export * from './batched-inserts';
export * from './batched-reads';
export * from './coalescer';
