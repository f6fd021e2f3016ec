import { jobStatusSchema, pluginInfoSchema, protocolErrorSchema, restJobSchema } from '@fluxir/sdk/protocol';
import { z } from 'zod';
import { queueStatsSchema } from '../../jobs/job-queue.interface';
import { pluginVersionInfoSchema } from '../../admin/plugin-lifecycle.interface';
import { pluginFailureSchema } from '../../plugins/plugin-registry.interface';
import { engineStatusSchema } from '../server-state.interface';

/**
 * The JSON bodies of the REST API. The routes build their answers as these types, and the OpenAPI
 * document (openapi-document.ts) is made from these schemas.
 */

/** Every REST error body. */
export const errorBodySchema = z.object({ error: protocolErrorSchema });

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** `GET /api/health` (open to load balancers). */
export const healthSchema = z.object({
  status: z.enum(['ok', 'shutting-down']),
  version: z.string().meta({ description: 'the host version' }),
  engine: engineStatusSchema,
  queue: queueStatsSchema,
  plugins: z.number().int().meta({ description: 'plugin ids with an enabled version' }),
  uptimeSeconds: z.number().int(),
});

export type Health = z.infer<typeof healthSchema>;

/** `GET /api/plugins`: the enabled plugin versions and the packages that failed to load. */
export const pluginListSchema = z.object({
  plugins: z.array(pluginInfoSchema).readonly(),
  failures: z
    .array(pluginFailureSchema.extend({ dir: pluginFailureSchema.shape.dir.optional() }))
    .readonly()
    .meta({ description: "packages that failed, with their reasons; their folders only for the admin token" }),
});

export type PluginList = z.infer<typeof pluginListSchema>;

/** `POST /api/jobs`, 202. */
export const jobAcceptedSchema = z.object({
  id: z.string(),
  status: jobStatusSchema,
  position: z.number().int().min(0),
  resumeKey: z.string().meta({ description: 'send it as X-Fluxir-Resume-Key to every other job route' }),
});

export type JobAccepted = z.infer<typeof jobAcceptedSchema>;

/** `GET /api/jobs`. */
export const jobListSchema = z.object({ jobs: z.array(restJobSchema).readonly() });

export type JobList = z.infer<typeof jobListSchema>;

/** `POST /api/admin/plugins`, 201. */
export const pluginInstalledSchema = z.object({ plugin: pluginVersionInfoSchema });

/** `POST /api/admin/plugins/{id}/disable|enable|reload`: the versions concerned, as they are now. */
export const pluginVersionsSchema = z.object({ plugins: z.array(pluginVersionInfoSchema).readonly() });

/** `DELETE /api/admin/plugins/{id}`: the versions removed. */
export const pluginsRemovedSchema = z.object({ removed: z.array(pluginVersionInfoSchema).readonly() });

export type PluginInstalled = z.infer<typeof pluginInstalledSchema>;
export type PluginVersions = z.infer<typeof pluginVersionsSchema>;
export type PluginsRemoved = z.infer<typeof pluginsRemovedSchema>;
