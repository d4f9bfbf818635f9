export * from './connection';
export * from './streams';
export * from './publisher';
export * from './listener';
export * from './dead-letter';
