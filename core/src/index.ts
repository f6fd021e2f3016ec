export * from './common/image';
export * from './common/rng';
export * from './common/task';
export * from './common/errors';
export * from './engine/engine-protocol';
