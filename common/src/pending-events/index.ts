export * from './pending-events';
export * from './relay';
export * from './writes';
