export * from './subjects';
export * from './events';
export * from './version';
export * from './schemas';
