/**
 * A training step is one long synchronous computation; awaiting this between steps lets timers
 * (the progress bar's scheduled output in a log file), signal handlers and I/O run.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
