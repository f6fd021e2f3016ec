import type { Express, NextFunction, Request, Response } from 'express';
import express from 'express';
import { inject, injectable } from 'inversify';
import multer from 'multer';
import { JobIntake } from '../job-intake.interface';
import { JobQueue, type JobSnapshot } from '../../jobs/job-queue.interface';
import { ResumeKeys, type Principal } from '../resume-keys.interface';
import { ServerConfig } from '../../config/server-config.interface';
import { serverErrors, toProtocolError } from '../../errors/server-error';
import { ServerMetrics } from '../server-metrics.interface';
import type { AccessLevel } from '../access-control';
import { sendError } from './http-errors';
import { publicJob } from './public-job';
import { requestFields, type UploadedFiles } from './rest-job-fields';
import type { JobAccepted, JobList } from './rest-schemas';

export const RESUME_KEY_HEADER = 'X-Fluxir-Resume-Key';

/**
 * The REST job API for clients without websockets: submit, poll, fetch the result, cancel, list. A job
 * belongs to the resume key it was submitted with (sent back by `POST /api/jobs`); every other route
 * needs that key in `X-Fluxir-Resume-Key`, or the admin token. A wrong or missing key gets the same
 * E_NOT_FOUND as an unknown id, so ids of others' jobs reveal nothing.
 */
@injectable()
export class RestJobRoutes {
  constructor(
    @inject(JobIntake) private readonly intake: JobIntake,
    @inject(JobQueue) private readonly queue: JobQueue,
    @inject(ResumeKeys) private readonly keys: ResumeKeys,
    @inject(ServerConfig) private readonly config: ServerConfig,
    @inject(ServerMetrics) private readonly metrics: ServerMetrics,
  ) {}

  mount(app: Express, authenticate: express.RequestHandler): void {
    const limit = this.config.limits.maxUploadBytes;
    const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: limit, files: 2, fields: 64 } });
    const multipart = upload.fields([
      { name: 'image', maxCount: 1 },
      { name: 'mask', maxCount: 1 },
    ]);
    // busboy's parse errors (a malformed part, a cut-off form) carry no status: they are the client's fault.
    const parseMultipart = (req: Request, res: Response, next: NextFunction) =>
      multipart(req, res, (error?: unknown) => next(error === undefined || isMulterLimit(error) ? error : serverErrors.badRequest(`bad multipart upload: ${messageOf(error)}`)));
    const body = (req: Request, res: Response, next: NextFunction) =>
      req.is('multipart/form-data') ? parseMultipart(req, res, next) : express.raw({ type: () => true, limit })(req, res, next);
    app.post('/api/jobs', authenticate, body, (req, res, next) => void this.submit(req, res).catch(next));
    app.get('/api/jobs', authenticate, (req, res) => this.list(req, res));
    app.get('/api/jobs/:id', authenticate, (req, res) => this.status(req, res));
    app.get('/api/jobs/:id/result', authenticate, (req, res) => this.result(req, res));
    app.delete('/api/jobs/:id', authenticate, (req, res, next) => void this.cancel(req, res).catch(next));
  }

  private async submit(req: Request, res: Response): Promise<void> {
    const files = req.files as UploadedFiles | undefined;
    const fields = requestFields(req.query, req.body, files);
    const principal = this.principal(req) ?? this.keys.mint();
    const job = await this.intake.submit(principal.owner, fields);
    res
      .status(202)
      .location(`/api/jobs/${job.id}`)
      .json({ id: job.id, status: job.status, position: job.position ?? 0, resumeKey: principal.resumeKey } satisfies JobAccepted);
  }

  private list(req: Request, res: Response): void {
    const principal = this.principal(req);
    if (!principal && !this.isAdmin(res)) return sendError(res, toProtocolError(serverErrors.noJobsForKey()), this.metrics);
    res.json({ jobs: this.queue.list(principal?.owner).map(publicJob) } satisfies JobList);
  }

  private status(req: Request, res: Response): void {
    const job = this.own(req, res);
    if (job) res.json(publicJob(job));
  }

  private result(req: Request, res: Response): void {
    const job = this.own(req, res);
    if (!job) return;
    if (job.status === 'failed' && job.error) return sendError(res, job.error, this.metrics);
    if (job.status !== 'done') return sendError(res, toProtocolError(serverErrors.notReady(job.id, job.status)), this.metrics);
    const output = this.queue.result(job.id);
    res
      .type(output.mime)
      .set({
        'X-Fluxir-Plugin': `${output.plugin}@${output.version}`,
        'X-Fluxir-Steps': String(output.steps),
        'X-Fluxir-Engine-Ms': output.ms.toFixed(1),
      })
      .send(output.data);
  }

  private async cancel(req: Request, res: Response): Promise<void> {
    const job = this.own(req, res);
    if (job) res.json(publicJob(await this.queue.cancel(job.id)));
  }

  private principal(req: Request): Principal | undefined {
    return this.keys.verify(req.get(RESUME_KEY_HEADER));
  }

  private isAdmin(res: Response): boolean {
    return (res.locals.access as AccessLevel) === 'admin';
  }

  /** The caller's job, or undefined once E_NOT_FOUND is sent (unknown id, or not the caller's). */
  private own(req: Request, res: Response): JobSnapshot | undefined {
    const id = String(req.params.id);
    const job = this.queue.get(id);
    if (job && (this.isAdmin(res) || job.owner === this.principal(req)?.owner)) return job;
    sendError(res, toProtocolError(serverErrors.notFound(id)), this.metrics);
    return undefined;
  }
}

function isMulterLimit(error: unknown): boolean {
  return error instanceof multer.MulterError;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
