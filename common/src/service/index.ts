export * from './http-app';
export * from './run-service';
export * from './service-app';
