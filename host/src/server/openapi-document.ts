import { MAX_STEPS } from '@fluxir/sdk';
import { ERROR_CODES } from '@fluxir/sdk/protocol';
import type { LoadedPlugin } from '../common/plugin-registry-protocol';
import { paramsSchema } from './default-plugin-catalog';

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
    200: { description: 'the versions concerned, as they are now', content: json({ type: 'object', properties: { plugins: { type: 'array', items: ref('PluginVersion') } } }) },
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
      responses: { 200: { description: 'plugins and failures', content: json({ type: 'object', properties: { plugins: { type: 'array', items: ref('PluginVersion') }, failures: { type: 'array' } } }) }, ...adminErrors },
    },
    post: {
      summary: 'Install (load and serve) the plugin package in a folder on the server, inside installRoots or pluginDirs',
      ...adminOnly,
      requestBody: { required: true, content: json({ type: 'object', required: ['path'], properties: { path: { type: 'string' } } }) },
      responses: {
        201: { description: 'installed and enabled', content: json({ type: 'object', properties: { plugin: ref('PluginVersion') } }) },
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
    delete: { ...versionsChanged('Unload (jobs of the version end with E_PLUGIN)'), responses: { 200: { description: 'the versions removed', content: json({ type: 'object', properties: { removed: { type: 'array', items: ref('PluginVersion') } } }) }, 404: errorResponse('E_NOT_FOUND: no such plugin version is loaded'), ...adminErrors } },
  },
};

/** The OpenAPI 3.1 document of the REST API; each plugin's parameters are a schema of their own. */
export function openApiDocument(loaded: readonly LoadedPlugin[], version: string): object {
  // The newest version of each plugin describes its parameters.
  const plugins = loaded.filter((p, i) => loaded.findIndex((q) => q.definition.id === p.definition.id) === i);
  const pluginSchemas = Object.fromEntries(plugins.map((p) => [`${p.definition.id}Params`, paramsSchema(p.definition.params)]));
  return {
    openapi: '3.1.0',
    info: { title: 'fluxir host', version, description: 'Learned image restoration. Jobs are queued; poll a job, then fetch its result.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', properties: { code: { enum: [...ERROR_CODES] }, message: { type: 'string' } } } },
        },
        Job: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            status: { enum: ['queued', 'running', 'done', 'failed', 'cancelled'] },
            position: { type: 'integer', description: '0 = next to run; only while queued' },
            progress: { type: 'object', properties: Object.fromEntries(['step', 'steps', 'tile', 'tiles', 'fraction', 'etaMs'].map((k) => [k, { type: 'number' }])) },
            error: { $ref: '#/components/schemas/Error/properties/error' },
            plugin: { type: 'string' },
            version: { type: 'string' },
          },
        },
        PluginVersion: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            version: { type: 'string' },
            packageName: { type: 'string' },
            dir: { type: 'string' },
            engineRange: { type: 'string' },
            state: { enum: ['enabled', 'disabled'] },
          },
        },
        ...pluginSchemas,
      },
    },
    security: [{}, { bearer: [] }],
    paths: {
      '/api/health': { get: { summary: 'Liveness, engine status and queue depth', security: [], responses: { 200: { description: 'serving' }, 503: { description: 'shutting down' } } } },
      '/api/plugins': { get: { summary: 'Loaded plugins (budgets, schedules, parameter schemas) and plugins that failed to load', responses: { 200: { description: 'plugins' } } } },
      '/api/jobs': {
        post: {
          summary: 'Submit an image; answers { id, status, position, resumeKey }',
          description: `Plugin parameters go in the query or form, one field each, or as a JSON \`params\` field. Parameter schemas: ${plugins.map((p) => `${p.definition.id}Params`).join(', ') || 'none loaded'}.`,
          parameters: [
            { name: 'plugin', in: 'query', required: true, schema: { enum: plugins.map((p) => p.definition.id) } },
            { name: 'version', in: 'query', schema: { type: 'string', description: 'semver range pinning the plugin version' } },
            { name: 'steps', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_STEPS } },
            { name: 'seed', in: 'query', schema: { type: 'integer', minimum: 0 } },
            { name: 'resultMime', in: 'query', schema: { enum: ['image/png', 'image/jpeg', 'image/webp'] } },
            { ...resumeKey, required: false, description: 'a resume key from an earlier answer: the job joins its jobs (a fresh key is issued without one)' },
          ],
          requestBody: {
            required: true,
            content: {
              'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
              'image/*': { schema: { type: 'string', format: 'binary' } },
              'multipart/form-data': {
                schema: { type: 'object', required: ['image'], properties: { image: { type: 'string', format: 'binary' }, mask: { type: 'string', format: 'binary' } } },
              },
            },
          },
          responses: {
            202: {
              description: 'queued; keep resumeKey, every other job route needs it',
              content: json({ type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, position: { type: 'integer' }, resumeKey: { type: 'string' } } }),
            },
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
          responses: { 200: { description: '{ jobs }' }, 404: errorResponse('E_NOT_FOUND without a valid key') },
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
