/**
 * Once read, secrets leave the environment, so code that runs later in this process (plugins load
 * after this) and child processes it starts do not find them there. Plugins are still trusted code:
 * this keeps the secrets out of casual reach (a dependency dumping process.env), not out of a hostile one.
 */
export function forgetSecretsInEnvironment(): void {
  for (const name of ['FLUXIR_TOKEN', 'FLUXIR_ADMIN_TOKEN', 'FLUXIR_RESUME_SECRET', 'FLUXIR_REDIS_URL']) delete process.env[name];
}
