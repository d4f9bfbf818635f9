export * from './user-replica';
