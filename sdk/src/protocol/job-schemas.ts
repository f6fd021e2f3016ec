import type { StepProgress } from '@fluxir/core';
import { z } from 'zod';
import { protocolErrorSchema } from './error-codes';
import { stepBudgetSchema } from './step-budget';

/**
 * What the host tells clients about plugins and jobs, on the socket and in REST answers. The types
 * in socket-events.ts are inferred from these schemas, and the host's OpenAPI document is made from them.
 */
export const jobStatusSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);

export const imageMimeSchema = z.enum(['image/png', 'image/jpeg', 'image/webp']);

export const previewMimeSchema = z.enum(['image/jpeg', 'image/webp']);

/** Where a running job is: the engine's StepProgress as it travels (checked against that type). */
export const jobProgressSchema = z.object({
  step: z.number().int(),
  steps: z.number().int(),
  tile: z.number().int(),
  tiles: z.number().int(),
  fraction: z.number().min(0).max(1).meta({ description: 'fraction of the job done, 0..1' }),
  etaMs: z.number(),
}) satisfies z.ZodType<StepProgress>;

/** The restored image as described beside its bytes. */
export const jobResultInfoSchema = z.object({
  plugin: z.string(),
  version: z.string(),
  steps: z.number().int(),
  mime: imageMimeSchema,
  width: z.number().int(),
  height: z.number().int(),
  ms: z.number().meta({ description: 'engine milliseconds for the image' }),
});

/** One of a client's jobs, as `jobs:list` and `job:attach` give it. */
export const jobSummarySchema = z.object({
  jobId: z.string(),
  status: jobStatusSchema,
  position: z.number().int().optional(),
  plugin: z.string(),
  version: z.string(),
});

/** A job as the REST API shows it (`GET /api/jobs/{id}`, `GET /api/jobs`, `DELETE /api/jobs/{id}`). */
export const restJobSchema = z.object({
  id: z.string(),
  plugin: z.string(),
  version: z.string(),
  status: jobStatusSchema,
  position: z.number().int().min(0).optional().meta({ description: '0 = next to run; only while queued' }),
  progress: jobProgressSchema.optional(),
  error: protocolErrorSchema.optional(),
  createdAt: z.number().meta({ description: 'epoch milliseconds' }),
  startedAt: z.number().optional().meta({ description: 'epoch milliseconds' }),
  finishedAt: z.number().optional().meta({ description: 'epoch milliseconds' }),
  result: jobResultInfoSchema.optional().meta({ description: 'once done; the image itself is at /api/jobs/{id}/result' }),
});

/** One loaded plugin version, as the panel needs it to build its form. */
export const pluginInfoSchema = z.object({
  id: z.string(),
  version: z.string(),
  title: z.string(),
  help: z.string().optional().meta({ description: 'when to use the task and how to set it, for an "About this task" section' }),
  prompt: z.string().meta({ description: 'the degradation prompt the engine is conditioned on' }),
  description: z.string(),
  stepBudget: stepBudgetSchema,
  schedules: z
    .record(z.string(), z.array(z.number()).readonly())
    .meta({ description: 'the sampling times per step budget from the weights card (distilled budgets first)' }),
  paramsSchema: z
    .record(z.string(), z.unknown())
    .meta({ description: "JSON Schema (draft 2020-12) of the plugin's parameters, made from its zod schema" }),
  requiresMask: z.boolean(),
});
