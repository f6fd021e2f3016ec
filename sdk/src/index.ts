export * from './plugin-definition';
export * from './define-plugin';
export * from './plugin-package';
