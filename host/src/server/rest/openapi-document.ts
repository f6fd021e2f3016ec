import {
  imageMimeSchema,
  jobProgressSchema,
  jobResultInfoSchema,
  jobStatusSchema,
  pluginInfoSchema,
  protocolErrorSchema,
  restJobSchema,
  stepBudgetSchema,
  submitJobSchema,
} from '@fluxir/sdk/protocol';
import { z } from 'zod';
import { queueStatsSchema } from '../../jobs/job-queue.interface';
import { pluginAdminStatusSchema, pluginVersionInfoSchema } from '../../admin/plugin-lifecycle.interface';
import type { LoadedPlugin } from '../../plugins/plugin-registry.interface';
import { pluginFailureSchema } from '../../plugins/plugin-registry.interface';
import { engineStatusSchema } from '../server-state.interface';
import { paramsSchema } from '../../plugins/default-plugin-catalog';
import {
  errorBodySchema,
  healthSchema,
  jobAcceptedSchema,
  jobListSchema,
  pluginInstalledSchema,
  pluginListSchema,
  pluginsRemovedSchema,
  pluginVersionsSchema,
} from './rest-schemas';

type JsonSchema = Record<string, unknown>;

/** The schemas the REST API answers with, by component name: the same zod schemas the routes and the protocol types use. */
const COMPONENTS: Record<string, z.ZodType> = {
  Error: errorBodySchema,
  ProtocolError: protocolErrorSchema,
  JobStatus: jobStatusSchema,
  ImageMime: imageMimeSchema,
  JobProgress: jobProgressSchema,
  JobResult: jobResultInfoSchema,
  Job: restJobSchema,
  JobAccepted: jobAcceptedSchema,
  JobList: jobListSchema,
  StepBudget: stepBudgetSchema,
  PluginInfo: pluginInfoSchema,
  PluginFailure: pluginFailureSchema,
  PluginList: pluginListSchema,
  PluginVersion: pluginVersionInfoSchema,
  PluginAdminStatus: pluginAdminStatusSchema,
  PluginInstalled: pluginInstalledSchema,
  PluginVersions: pluginVersionsSchema,
  PluginsRemoved: pluginsRemovedSchema,
  EngineStatus: engineStatusSchema,
  QueueStats: queueStatsSchema,
  Health: healthSchema,
};

/** Each component as JSON Schema 2020-12 (OpenAPI 3.1's dialect), one referring to another by $ref. */
function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutIds(schema as JsonSchema)]));
}

const SCHEMAS = componentSchemas();

/** The dialect and id are the document's, not each component's. */
function withoutIds({ $schema: _dialect, $id: _id, ...schema }: JsonSchema): JsonSchema {
  return schema;
}

/** A field of the submission as a query parameter, from submitJobSchema. */
function submitField(name: 'plugin' | 'version' | 'steps' | 'seed' | 'resultMime', extra: JsonSchema = {}): JsonSchema {
  const schema = withoutIds(z.toJSONSchema(submitJobSchema.shape[name], { io: 'input' }) as JsonSchema);
  const { description, ...rest } = schema;
  return { name, in: 'query', ...(description ? { description } : {}), schema: { ...rest, ...extra } };
}

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });
const jobId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
/** Jobs belong to the key they were submitted with; a wrong or missing key answers E_NOT_FOUND (the admin token needs none). */
const resumeKey = {
  name: 'X-Fluxir-Resume-Key',
  in: 'header',
  required: true,
  description: 'the resumeKey POST /api/jobs answered with',
  schema: { type: 'string' },
};

const adminOnly = { security: [{ bearer: [] }] };
const pluginId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const versionPick = { name: 'version', in: 'query', schema: { type: 'string', description: 'semver version or range; every loaded version of the plugin without it' } };
const adminErrors = {
  401: errorResponse('E_UNAUTHORIZED: no token'),
  403: errorResponse('E_FORBIDDEN: not the admin token, or no admin token is configured (the admin API is off)'),
};
const versionsChanged = (what: string) => ({
  summary: what,
  ...adminOnly,
  parameters: [pluginId, versionPick],
  responses: {
    200: { description: 'the versions concerned, as they are now', content: json(ref('PluginVersions')) },
    400: errorResponse('E_BAD_REQUEST: a bad version range'),
    404: errorResponse('E_NOT_FOUND: no such plugin version is loaded'),
    422: errorResponse('E_PLUGIN: the package could not be loaded again (the loaded code keeps serving)'),
    ...adminErrors,
  },
});

/** Plugin administration at run time (admin token only). */
const adminPaths = {
  '/api/admin/plugins': {
    get: {
      summary: 'Every loaded plugin version with its state, and the packages that failed with their reasons',
      ...adminOnly,
      responses: { 200: { description: 'plugins and failures', content: json(ref('PluginAdminStatus')) }, ...adminErrors },
    },
    post: {
      summary: 'Install (load and serve) the plugin package in a folder on the server, inside installRoots or pluginDirs',
      ...adminOnly,
      requestBody: { required: true, content: json({ type: 'object', required: ['path'], properties: { path: { type: 'string' } } }) },
      responses: {
        201: { description: 'installed and enabled', content: json(ref('PluginInstalled')) },
        400: errorResponse('E_BAD_REQUEST: no path, or not a folder'),
        422: errorResponse('E_PLUGIN: broken manifest, missing entry, engine range, a name clash or code that throws, with the reason'),
        ...adminErrors,
      },
    },
  },
  '/api/admin/plugins/{id}/disable': { post: versionsChanged('Stop serving (queued and running jobs of the version end with E_PLUGIN)') },
  '/api/admin/plugins/{id}/enable': { post: versionsChanged('Serve a disabled version again') },
  '/api/admin/plugins/{id}/reload': { post: versionsChanged("Load the package's code again from its folder") },
  '/api/admin/plugins/{id}': {
    delete: {
      ...versionsChanged('Unload (jobs of the version end with E_PLUGIN)'),
      responses: { 200: { description: 'the versions removed', content: json(ref('PluginsRemoved')) }, 404: errorResponse('E_NOT_FOUND: no such plugin version is loaded'), ...adminErrors },
    },
  },
};

/**
 * The OpenAPI 3.1 document of the REST API. Its schemas are made from the zod schemas the routes answer
 * with; each loaded plugin's parameters (the newest version's) are a schema of their own, `<id>Params`.
 */
export function openApiDocument(loaded: readonly LoadedPlugin[], version: string): object {
  const plugins = loaded.filter((p, i) => loaded.findIndex((q) => q.definition.id === p.definition.id) === i);
  const paramsName = (plugin: LoadedPlugin) => `${plugin.definition.id}Params`;
  const pluginSchemas = Object.fromEntries(plugins.map((p) => [paramsName(p), withoutIds(paramsSchema(p.definition.params))]));
  const anyPluginParams = { anyOf: plugins.map((p) => ref(paramsName(p))) };
  return {
    openapi: '3.1.0',
    info: { title: 'fluxir host', version, description: 'Learned image restoration. Jobs are queued; poll a job, then fetch its result.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { ...SCHEMAS, ...pluginSchemas },
    },
    security: [{}, { bearer: [] }],
    paths: {
      '/api/health': {
        get: {
          summary: 'Liveness, engine status and queue depth',
          security: [],
          responses: { 200: { description: 'serving', content: json(ref('Health')) }, 503: { description: 'shutting down', content: json(ref('Health')) } },
        },
      },
      '/api/plugins': {
        get: {
          summary: 'Loaded plugins (budgets, schedules, parameter schemas) and plugins that failed to load',
          responses: { 200: { description: 'plugins', content: json(ref('PluginList')) } },
        },
      },
      '/api/jobs': {
        post: {
          summary: 'Submit an image; answers { id, status, position, resumeKey }',
          description:
            'The plugin\'s parameters go in the query or the form, one field each, or as a JSON `params` field; ' +
            `each plugin's are described by its own schema: ${plugins.map(paramsName).join(', ') || 'none loaded'}.`,
          parameters: [
            submitField('plugin', { enum: plugins.map((p) => p.definition.id) }),
            submitField('version'),
            submitField('steps'),
            submitField('seed'),
            submitField('resultMime'),
            {
              name: 'params',
              in: 'query',
              style: 'form',
              explode: true,
              description: "the plugin's parameters, each its own query field (e.g. `scale=2`)",
              schema: anyPluginParams,
            },
            { ...resumeKey, required: false, description: 'a resume key from an earlier answer: the job joins its jobs (a fresh key is issued without one)' },
          ],
          requestBody: {
            required: true,
            content: {
              'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
              'image/*': { schema: { type: 'string', format: 'binary' } },
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['image'],
                  description: 'plugin, version, steps, seed, resultMime and the plugin\'s parameters may also be form fields',
                  properties: {
                    image: { type: 'string', format: 'binary' },
                    mask: { type: 'string', format: 'binary', description: 'white = fill (required by inpaint)' },
                    params: { type: 'string', contentMediaType: 'application/json', contentSchema: anyPluginParams, description: "the plugin's parameters as one JSON object" },
                  },
                },
              },
            },
          },
          responses: {
            202: { description: 'queued; keep resumeKey, every other job route needs it', content: json(ref('JobAccepted')) },
            400: errorResponse('E_BAD_REQUEST, E_PARAMS, E_DECODE or E_MASK'),
            401: errorResponse('E_UNAUTHORIZED'),
            404: errorResponse('E_UNKNOWN_TASK or E_UNKNOWN_VERSION'),
            413: errorResponse('E_PAYLOAD_TOO_LARGE or E_TOO_LARGE'),
            429: errorResponse('E_CLIENT_LIMIT or E_RATE_LIMITED'),
            503: errorResponse('E_QUEUE_FULL or E_SHUTTING_DOWN'),
          },
        },
        get: {
          summary: "The resume key's open and recent jobs (every job with the admin token)",
          parameters: [resumeKey],
          responses: { 200: { description: 'the jobs, oldest first', content: json(ref('JobList')) }, 404: errorResponse('E_NOT_FOUND without a valid key') },
        },
      },
      '/api/jobs/{id}': {
        get: { summary: 'Job status and progress', parameters: [jobId, resumeKey], responses: { 200: { description: 'the job', content: json(ref('Job')) }, 404: errorResponse('E_NOT_FOUND') } },
        delete: { summary: 'Cancel a job (a running one stops within one sampling step)', parameters: [jobId, resumeKey], responses: { 200: { description: 'the job', content: json(ref('Job')) }, 404: errorResponse('E_NOT_FOUND') } },
      },
      '/api/jobs/{id}/result': {
        get: {
          summary: 'The restored image',
          parameters: [jobId, resumeKey],
          responses: {
            200: { description: 'the image', content: { 'image/png': {}, 'image/jpeg': {}, 'image/webp': {} } },
            404: errorResponse('E_NOT_FOUND'),
            409: errorResponse('E_NOT_READY'),
          },
        },
      },
      ...adminPaths,
      '/metrics': { get: { summary: 'Prometheus metrics (admin token when one is configured)', responses: { 200: { description: 'text exposition format' } } } },
    },
  };
}
