import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AbortError, errors, readImage, readMask, writeImage, type Image, type ImageInfo, type Mask, type StepProgress } from '@fluxir/core';
import type { Container } from 'inversify';
import { toErrorReport } from '../errors/error-report';
import { Logger } from '../logging/logger.interface';
import { RestorePlanner } from '../restore/restore-planner.interface';
import { RestoreService, type EarlyRestorePlan, type RestoreOutcome, type RestorePlan } from '../restore/restore-service.interface';
import { planTargets, type FileSystemView, type RestoreTarget } from './input-files';
import type { BatchReporter } from './report';

export interface RestoreBatchRequest {
  readonly inputs: readonly string[];
  readonly output: string;
  readonly mask?: string;
  readonly task: string;
  readonly params: Record<string, unknown>;
  readonly steps?: number;
  readonly seed?: number;
  readonly maxPixels: number;
  readonly signal?: AbortSignal;
}

/**
 * Restores every image of a batch, one at a time on the shared engine. A bad image is reported and
 * the batch goes on; a bad request (unknown task, bad params, no engine) stops it before any image.
 * Returns the number of images that failed (-1 when the request itself failed).
 */
export async function runRestoreBatch(
  container: Container,
  request: RestoreBatchRequest,
  reporter: BatchReporter,
  files: FileSystemView,
): Promise<number> {
  const service = container.get<RestoreService>(RestoreService);
  const planner = container.get<RestorePlanner>(RestorePlanner);
  let plan: RestorePlan;
  let targets: readonly RestoreTarget[];
  let first: Promise<StartedRestore> | undefined;
  // Stops the first image, started early, when the batch cannot run at all.
  const stopped = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stopped.signal]) : stopped.signal;
  // The image whose progress the reporter shows: the first one starts before its turn.
  let reporting = -1;
  const start = (target: RestoreTarget, index: number, by: RestorePlan | EarlyRestorePlan = plan) =>
    startTarget(service, by, target, { ...request, signal }, (progress) => {
      if (reporting === index) reporter.progress(progress);
    });
  try {
    // One plan for the whole batch: checked before any file is looked at, scheduled once the engine is up.
    const choice = planner.choose({ task: request.task, params: request.params, steps: request.steps });
    const planned = planTargets(request, files);
    targets = planned.targets;
    const planning = planner.plan(choice);
    // The first image decodes and its plugin prepares it while the engine starts, by the plan whose
    // schedule comes with the engine; a decoding error is reported with that image.
    const early: EarlyRestorePlan = { ...choice, schedule: planning.then((made) => made.schedule) };
    early.schedule.catch(() => undefined);
    first = targets.length > 0 ? start(targets[0], 0, early) : undefined;
    first?.catch(() => undefined);
    plan = await planning;
    if (planned.outputFolder !== undefined) await createFolder(planned.outputFolder);
  } catch (error) {
    stopped.abort();
    reporter.fatal(toErrorReport(error));
    return -1;
  }
  const logger = container.get<Logger>(Logger);
  let failures = 0;
  for (const [index, target] of targets.entries()) {
    if (request.signal?.aborted) {
      reporter.failed({ input: target.input, error: toErrorReport(new AbortError()) });
      failures++;
      continue;
    }
    reporter.start(target.input, plan.steps);
    reporting = index;
    try {
      const started = (index === 0 ? first : undefined) ?? start(target, index);
      reporter.succeeded(await finishRestore(plan, target, started));
    } catch (error) {
      const report = toErrorReport(error);
      if (report.code === 'E_INTERNAL') logger.error({ err: error, input: target.input }, 'unexpected failure');
      reporter.failed({ input: target.input, error: report });
      failures++;
    }
  }
  return failures;
}

/** A restore under way: its image decoded and handed to the service. */
interface StartedRestore {
  readonly info: ImageInfo;
  /** How long decoding took, and when it ended (performance.now()). */
  readonly decodeMs: number;
  readonly decodedAt: number;
  /** The plugin's prepare, on this thread. */
  readonly prepareMs: number;
  readonly restoring: Promise<RestoreOutcome>;
}

/** Decodes a target and starts its restore (the plugin's prepare runs at once, sampling once the engine is there). */
function startTarget(
  service: RestoreService,
  plan: RestorePlan | EarlyRestorePlan,
  target: RestoreTarget,
  request: RestoreBatchRequest,
  onProgress: (progress: StepProgress) => void,
): Promise<StartedRestore> {
  return decodeTarget(target, request.maxPixels).then((decoded) => {
    if (request.signal?.aborted) throw new AbortError();
    return startRestore(service, plan, target, decoded, request, onProgress);
  });
}

/** Waits for a started restore and writes its output. */
async function finishRestore(plan: RestorePlan, target: RestoreTarget, starting: Promise<StartedRestore>) {
  const { info, decodeMs, decodedAt, prepareMs, restoring } = await starting;
  const started = decodedAt - decodeMs;
  const outcome = await restoring;
  await removeStaleTemporaries(target.output);
  const encoding = performance.now();
  // Format from the output's extension, else the input's; 16-bit in gives 16-bit PNG out.
  await writeImage(target.output, outcome.image, { format: info.format, bitDepth: info.bitDepth });
  const encodeMs = Math.round(performance.now() - encoding);
  return {
    input: target.input,
    output: target.output,
    task: plan.plugin.id,
    plugin: plan.plugin.packageName,
    pluginVersion: plan.plugin.version,
    steps: outcome.steps,
    backend: outcome.backend,
    ms: Math.round(outcome.ms),
    totalMs: Math.round(performance.now() - started),
    decodeMs: Math.round(decodeMs),
    prepareMs: Math.round(prepareMs),
    encodeMs,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** A decoded input on its way to the service: its pixels are handed over once, so holders of it do not pin them. */
class DecodedInput {
  constructor(
    private pixels: { readonly image: Image; readonly mask?: Mask } | undefined,
    readonly info: ImageInfo,
    /** How long decoding took: the first image decodes while the engine starts, so its start says little. */
    readonly decodeMs: number,
  ) {}

  take(): { readonly image: Image; readonly mask?: Mask } {
    const pixels = this.pixels;
    if (!pixels) throw new Error('the decoded image was already handed over');
    this.pixels = undefined;
    return pixels;
  }
}

async function decodeTarget(target: RestoreTarget, maxPixels: number): Promise<DecodedInput> {
  const started = performance.now();
  // A FIFO or a device would block the read, and the whole batch with it.
  for (const file of target.mask ? [target.input, target.mask] : [target.input]) {
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat && !stat.isFile()) throw errors.decode(file, 'not a regular file');
  }
  const { image, info } = await readImage(target.input, { maxPixels });
  const mask = target.mask ? await readMask(target.mask, info.width, info.height, { maxPixels, imageName: target.input }) : undefined;
  return new DecodedInput({ image, mask }, info, performance.now() - started);
}

/**
 * Starts the restore of a decoded image. A plain function rather than an async one: the service gets
 * the only reference to the pixels and frees them as soon as it no longer needs them.
 */
function startRestore(
  service: RestoreService,
  plan: RestorePlan | EarlyRestorePlan,
  target: RestoreTarget,
  decoded: DecodedInput,
  request: RestoreBatchRequest,
  onProgress: (progress: StepProgress) => void,
): StartedRestore {
  const { image, mask } = decoded.take();
  const decodedAt = performance.now();
  const restoring = service.restore(plan, { image, mask, name: target.input, consume: true }, { seed: request.seed, signal: request.signal, onProgress });
  // The command line prepares on this thread, inside restore(): the call's time is the plugin's prepare.
  const prepareMs = performance.now() - decodedAt;
  // Awaited once the image's turn comes; a batch stopped before then leaves it unawaited.
  restoring.catch(() => undefined);
  return { info: decoded.info, decodeMs: decoded.decodeMs, decodedAt, prepareMs, restoring };
}

async function createFolder(folder: string): Promise<void> {
  try {
    await fs.mkdir(folder, { recursive: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'a file of that name exists' : (error as Error).message;
    throw errors.write(folder, reason);
  }
}

/** writeImage's temporary files are `.<name>.<12 hex digits>.tmp` beside the output. */
const STALE_AFTER_MS = 60_000;

/**
 * A process killed while writing (kill -9, a power cut) leaves writeImage's hidden temporary file
 * behind; the next write of the same output removes those left by earlier runs. A temporary younger
 * than a minute may belong to a write in progress, so it stays.
 */
export async function removeStaleTemporaries(output: string): Promise<void> {
  const dir = path.dirname(path.resolve(output));
  const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(output))}\\.[0-9a-f]{12}\\.tmp$`);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const now = Date.now();
  for (const name of names.filter((n) => pattern.test(n))) {
    const file = path.join(dir, name);
    const stat = await fs.lstat(file).catch(() => undefined);
    if (stat?.isFile() && now - stat.mtimeMs > STALE_AFTER_MS) await fs.rm(file, { force: true }).catch(() => undefined);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
