export * from './custom-error';
export * from './http-errors';
