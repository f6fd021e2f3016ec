/** Sampling schedules: decreasing times from t = 1 (the noised low-quality start) to t = 0 (restored). */

/** K uniform Euler steps: 1, (K-1)/K, ..., 0. */
export function uniformSchedule(steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  return Array.from({ length: steps + 1 }, (_, k) => 1 - k / steps);
}

/** Checks that a schedule starts at 1, ends at 0 and strictly decreases. */
export function isValidSchedule(schedule: readonly number[]): boolean {
  if (schedule.length < 2 || schedule[0] !== 1 || schedule[schedule.length - 1] !== 0) return false;
  return schedule.every((t, i) => i === 0 || t < schedule[i - 1]);
}

/** The lowest path end a plugin may ask for: past it the last step would be more than doubled. */
export const MIN_PATH_END = -1;

/**
 * The schedule with its last time `end` (from MIN_PATH_END to 0) instead of 0. On the straight path
 * x_t = (1 - t) x0 + t z1, the state at t = end < 0 is z1 + (1 - end)(x0 - z1): the start moved
 * (1 - end) times as far as the network's correction, which undoes a correction measured to fall
 * short on average (a regression's shrinkage toward the start).
 */
export function scheduleEndingAt(schedule: readonly number[], end: number): number[] {
  if (!(end >= MIN_PATH_END && end <= 0)) throw new RangeError(`the path end must be in [${MIN_PATH_END}, 0], got ${end}`);
  return schedule.map((t, k) => (k === schedule.length - 1 ? end : t));
}
