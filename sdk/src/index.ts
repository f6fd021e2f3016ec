export * from './plugin-definition';
export * from './define-plugin';
export * from './plugin-package';
export * from './plugin-errors';
export * from './prepare-helpers';
export * from './degradation';
export * from './param-schema';
