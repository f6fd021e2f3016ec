/**
 * What the panel keeps per browser tab (sessionStorage), so a reload finds its token, its session
 * with the host and its running job again. The token comes in the address fragment (`#token=`),
 * which browsers never send to a server or in a Referer; it is taken out of the address at once.
 */
const TOKEN = 'fluxir.panel.token';
const RESUME_KEY = 'fluxir.panel.resumeKey';
const OPEN_JOB = 'fluxir.panel.job';

/** The job a reload should re-attach to, and what the panel needs to show it again. */
export interface OpenJob {
  readonly jobId: string;
  readonly pluginId: string;
  readonly name: string;
  /** The original image as a data URL, when it fitted in storage. */
  readonly before?: string;
  readonly width?: number;
  readonly height?: number;
}

export class PanelSession {
  constructor(private readonly storage: Storage | undefined = sessionStorageOrNone()) {}

  /** `#token=...` from the address (then removed from it), else the one this tab was given before. */
  takeToken(location: Location = window.location, history: History = window.history): string | undefined {
    const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
    const token = fragment.get('token') ?? undefined;
    if (token !== undefined) {
      fragment.delete('token');
      const rest = fragment.toString();
      history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
      this.set(TOKEN, token);
      return token;
    }
    return this.get(TOKEN);
  }

  get resumeKey(): string | undefined {
    return this.get(RESUME_KEY);
  }

  set resumeKey(key: string | undefined) {
    this.set(RESUME_KEY, key);
  }

  get openJob(): OpenJob | undefined {
    const text = this.get(OPEN_JOB);
    if (!text) return undefined;
    try {
      const job = JSON.parse(text) as OpenJob;
      return typeof job.jobId === 'string' && typeof job.pluginId === 'string' ? job : undefined;
    } catch {
      return undefined;
    }
  }

  /** Remembers the running job; the original image only if storage has room for it. */
  rememberJob(job: OpenJob | undefined): void {
    if (!job) return this.set(OPEN_JOB, undefined);
    try {
      this.storage?.setItem(OPEN_JOB, JSON.stringify(job));
    } catch {
      this.set(OPEN_JOB, JSON.stringify({ ...job, before: undefined }));
    }
  }

  private get(key: string): string | undefined {
    try {
      return this.storage?.getItem(key) ?? undefined;
    } catch {
      return undefined;
    }
  }

  private set(key: string, value: string | undefined): void {
    try {
      if (value === undefined) this.storage?.removeItem(key);
      else this.storage?.setItem(key, value);
    } catch {
      // Storage switched off or full: the panel works on, it only forgets across reloads.
    }
  }
}

/** Storage can be switched off (or throw in sandboxed frames); the panel works without it. */
function sessionStorageOrNone(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}
