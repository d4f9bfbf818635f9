// The service runner and its parts: the HTTP app, the health probes, Mongo settings, start and stop.
export * from './health';
export * from './http-app';
export * from './mongo';
export * from './run-service';
export * from './service-app';
