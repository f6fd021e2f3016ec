/**
 * The gradient functions that training needs. @tensorflow/tfjs-core ships them only as ES modules;
 * the @tensorflow/tfjs package registers them all when it loads. Restoring needs none of them, so
 * only training loads that package, on its first step.
 */
let registered = false;

export function registerGradients(): void {
  if (registered) return;
  require('@tensorflow/tfjs');
  registered = true;
}
