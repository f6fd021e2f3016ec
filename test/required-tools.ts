/**
 * Tests that need a system tool (Debian's chromium, redis-server) never skip: where the tool is
 * absent they fail, saying how to install it (scripts/test.sh, `npm run test:all`, installs them).
 */
export function requireTool(present: boolean, missing: string): void {
  if (!present) throw new Error(missing);
}
