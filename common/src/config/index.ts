/**
 * Configuration: the schema loader and the variables every service shares.
 */
export * from './config';
