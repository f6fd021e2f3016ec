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
