import { ServerError } from '../errors/server-error';

/** Every message of the plugin admin API, in one place; tests assert with these same factories. */
export const adminErrors = {
  off: () =>
    new ServerError('E_FORBIDDEN', 'the plugin admin API is off: set "adminToken" in fluxir.config.json or FLUXIR_ADMIN_TOKEN to turn it on'),
  notAdmin: () => new ServerError('E_FORBIDDEN', 'managing plugins needs the admin token (Authorization: Bearer <adminToken>)'),
  badInstallBody: () => new ServerError('E_BAD_REQUEST', 'the body must be JSON: { "path": "<plugin package folder on the server>" }'),
  noInstallRoots: () =>
    new ServerError('E_FORBIDDEN', 'no folder allows installs: set "installRoots" (or "pluginDirs") in fluxir.config.json or FLUXIR_INSTALL_ROOTS'),
  outsideRoots: (requested: string, roots: readonly string[]) =>
    new ServerError('E_FORBIDDEN', `${requested} is outside the folders plugins may be installed from: ${roots.join(', ')}`),
  linkOutside: (requested: string, real: string) =>
    new ServerError('E_FORBIDDEN', `${requested} is a symbolic link to ${real}, outside the folders plugins may be installed from`),
  notAFolder: (requested: string) => new ServerError('E_BAD_REQUEST', `${requested} is not a folder on the server`),
  badVersion: (range: string) => new ServerError('E_BAD_REQUEST', `version must be a semver version or range, got "${range}"`),
  notLoaded: (id: string, version: string | undefined, loaded: readonly string[]) =>
    new ServerError(
      'E_NOT_FOUND',
      `plugin ${id}${version ? ` ${version}` : ''} is not loaded; ${loaded.length ? `loaded: ${id} ${loaded.join(', ')}` : `no version of ${id} is loaded`}`,
    ),
  /** `failure` is a PluginFailure message (it starts with its code, which the answer carries apart). */
  refused: (failure: string) => new ServerError('E_PLUGIN', withoutCode(failure)),
  reloadRefused: (failure: string, version: string) => new ServerError('E_PLUGIN', `${withoutCode(failure)}; version ${version} keeps serving`),
};

function withoutCode(message: string): string {
  return message.replace(/^E_PLUGIN: /, '');
}
