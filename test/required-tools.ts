/**
 * Tests that need a system tool (Debian's chromium, redis-server) skip with a message where it is
 * absent. `.ci/run` installs both and sets FLUXIR_REQUIRE_TOOLS=1: there a missing tool fails the
 * run instead, so CI never passes on tests that did not run.
 */
export function toolAvailable(present: boolean, missing: string): boolean {
  if (present) return true;
  if (process.env.FLUXIR_REQUIRE_TOOLS === '1') throw new Error(`${missing} (FLUXIR_REQUIRE_TOOLS=1: these tests must run)`);
  console.warn(missing);
  return false;
}
