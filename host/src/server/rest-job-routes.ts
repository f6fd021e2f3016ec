import type { Express, NextFunction, Request, Response } from 'express';
import express from 'express';
import { inject, injectable } from 'inversify';
import multer from 'multer';
import { JobIntake } from '../common/job-intake-protocol';
import { JobQueue } from '../common/job-queue-protocol';
import { ServerConfig } from '../common/server-config-protocol';
import { serverErrors, toProtocolError } from '../common/server-error';
import { ServerMetrics } from '../common/server-metrics-protocol';
import { sendError } from './http-errors';
import { requestFields, type UploadedFiles } from './rest-job-fields';

/** The REST job API for clients without websockets: submit, poll, fetch the result, cancel. */
@injectable()
export class RestJobRoutes {
  constructor(
    @inject(JobIntake) private readonly intake: JobIntake,
    @inject(JobQueue) private readonly queue: JobQueue,
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
    const body = (req: Request, res: Response, next: NextFunction) =>
      req.is('multipart/form-data') ? multipart(req, res, next) : express.raw({ type: () => true, limit })(req, res, next);
    app.post('/api/jobs', authenticate, body, (req, res, next) => void this.submit(req, res).catch(next));
    app.get('/api/jobs/:id', authenticate, (req, res) => this.status(req, res));
    app.get('/api/jobs/:id/result', authenticate, (req, res) => this.result(req, res));
    app.delete('/api/jobs/:id', authenticate, (req, res, next) => void this.cancel(req, res).catch(next));
  }

  private async submit(req: Request, res: Response): Promise<void> {
    const files = req.files as UploadedFiles | undefined;
    const fields = requestFields(req.query, req.body, files);
    const clientId = req.get('x-fluxir-client') || `rest:${req.ip ?? 'unknown'}`;
    const job = await this.intake.submit(clientId, fields);
    res.status(202).location(`/api/jobs/${job.id}`).json({ id: job.id, status: job.status, position: job.position ?? 0 });
  }

  private status(req: Request, res: Response): void {
    const id = String(req.params.id);
    const job = this.queue.get(id);
    if (!job) return sendError(res, toProtocolError(serverErrors.notFound(id)), this.metrics);
    res.json(job);
  }

  private result(req: Request, res: Response): void {
    const id = String(req.params.id);
    const job = this.queue.get(id);
    if (!job) return sendError(res, toProtocolError(serverErrors.notFound(id)), this.metrics);
    if (job.status === 'failed' && job.error) return sendError(res, job.error, this.metrics);
    if (job.status !== 'done') return sendError(res, toProtocolError(serverErrors.notReady(id, job.status)), this.metrics);
    const output = this.queue.result(id);
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
    const id = String(req.params.id);
    if (!this.queue.get(id)) return sendError(res, toProtocolError(serverErrors.notFound(id)), this.metrics);
    res.json(await this.queue.cancel(id));
  }
}
