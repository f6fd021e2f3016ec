export * from './error-codes';
export * from './socket-events';
export * from './payload-schemas';
export * from './job-schemas';
export * from './step-budget';
