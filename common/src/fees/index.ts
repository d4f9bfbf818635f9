export * from './fees';
export * from './price-breakdown.schema';
