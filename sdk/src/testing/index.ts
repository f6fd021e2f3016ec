export * from './plugin-contract';
export * from './contract-checks';
