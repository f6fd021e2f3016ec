import { FluxirClientError } from '@fluxir/sdk/client';
import { UserError } from './panel-mode';
import { panelMessages } from './panel-messages';

/** What the alert says about an error: the user's mistakes as they are, the host's with their code. */
export function describeError(error: unknown): string {
  if (error instanceof UserError) return error.message;
  if (error instanceof FluxirClientError) {
    if (error.code === 'E_UNAUTHORIZED') return panelMessages.needsToken();
    // After a host restart the job is gone from it: say so, not the host's id-laden message.
    if (error.code === 'E_NOT_FOUND') return panelMessages.jobGone();
    return `${error.message} (${error.code})`;
  }
  return error instanceof Error ? error.message : String(error);
}
