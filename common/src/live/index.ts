export * from './sse';
export * from './live-feed';
