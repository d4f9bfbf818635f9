export * from './http-app';
export * from './run-service';
