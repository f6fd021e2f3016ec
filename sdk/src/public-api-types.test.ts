import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

/**
 * jest compiles each file on its own (isolatedModules) and so cannot check types across files:
 * the compile-time checks of the public API live in sdk/type-tests and run through tsc here.
 */
it('type-checks the public API: inferred parameter types, and every @ts-expect-error line fails to compile', async () => {
  const root = path.resolve(__dirname, '../..');
  const tsc = require.resolve('typescript/bin/tsc');
  const run = promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', path.join(root, 'sdk/type-tests/tsconfig.json')], { cwd: root });
  await expect(run.then(() => 'clean', (error: { stdout?: string }) => error.stdout ?? String(error))).resolves.toBe('clean');
});
