export * from './error-codes';
export * from './socket-events';
export * from './payload-schemas';
