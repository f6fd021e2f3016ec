export * from './plugin-definition';
export * from './define-plugin';
