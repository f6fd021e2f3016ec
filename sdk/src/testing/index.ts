export * from './plugin-contract';
