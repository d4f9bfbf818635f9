export * from './process';
export * from './engines';
