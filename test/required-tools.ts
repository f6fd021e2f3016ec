/**
 * Tests that need a system tool (Debian's chromium, redis-server) never skip: where the tool is
 * absent they fail, saying how to install it (`.ci/run` installs both).
 */
export function requireTool(present: boolean, missing: string): void {
  if (!present) throw new Error(missing);
}
