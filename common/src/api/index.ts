/** The HTTP contract's JSON shapes and the one client that speaks it (bench, fault suite, backend tests). */
export * from './types';
export * from './client';
