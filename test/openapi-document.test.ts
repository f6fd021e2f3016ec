import { MAX_STEPS } from '@fluxir/sdk';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { builtinPluginIds } from '../host/src/plugins/builtin-plugins';
import { PacedEngine, pngImage, startTestServer, type TestServer } from './server-harness';

/**
 * /api/openapi.json against what the routes really answer: every JSON body a client can get is
 * validated, with ajv in strict mode, against the schema the document gives for it. The document's
 * object schemas allow no undocumented fields, so a field a route adds without the document fails here.
 */
const ADMIN_TOKEN = 'admin-token-for-the-openapi-test';
let host: TestServer;
let doc: { paths: Record<string, Record<string, { parameters?: { name: string; schema: Record<string, unknown> }[] }>>; components: { schemas: Record<string, unknown> } };
let ajv: Ajv2020;

beforeAll(async () => {
  host = await startTestServer({ engine: () => new PacedEngine(40), config: { adminToken: ADMIN_TOKEN } });
  doc = (await (await api('/api/openapi.json')).json()) as typeof doc;
  ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addKeyword('components');
  ajv.addSchema({ $id: 'openapi.json', components: doc.components });
});
afterAll(() => host.close());

const api = (path: string, init?: RequestInit) => fetch(`${host.url}${path}`, init);
const owner = (resumeKey: string) => ({ headers: { 'X-Fluxir-Resume-Key': resumeKey } });
const admin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
const bytes = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) as Uint8Array<ArrayBuffer>;

function schema(name: string): ValidateFunction {
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${name}`);
  if (!validate) throw new Error(`the document has no schema ${name}`);
  return validate;
}

/** Passes when `body` validates against the component; otherwise fails with ajv's reasons. */
function expectValid(name: string, body: unknown): void {
  const validate = schema(name);
  const valid = validate(body);
  expect({ name, body, errors: valid ? [] : validate.errors }).toEqual({ name, body, errors: [] });
}

async function submit(query: string): Promise<{ id: string; resumeKey: string; body: unknown }> {
  const res = await api(`/api/jobs?${query}`, { method: 'POST', body: bytes(await pngImage(24, 16)), headers: { 'content-type': 'image/png' } });
  expect(res.status).toBe(202);
  const body = (await res.json()) as { id: string; resumeKey: string };
  return { id: body.id, resumeKey: body.resumeKey, body };
}

describe('the OpenAPI document against the routes', () => {
  it('has a schema for every component it names, each valid JSON Schema 2020-12 (ajv strict)', () => {
    const names = Object.keys(doc.components.schemas);
    expect(names).toEqual(expect.arrayContaining(['Error', 'Job', 'JobAccepted', 'JobList', 'PluginList', 'Health', 'PluginAdminStatus', 'denoiseParams']));
    for (const name of names) expect(() => schema(name)).not.toThrow();
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) expect(names).toContain(JSON.parse(ref).split('/').pop());
  });

  it('describes a real job as it is queued or running (with progress) and when done (with result and timestamps)', async () => {
    const job = await submit('plugin=superres&scale=2&steps=3');
    expectValid('JobAccepted', job.body);
    const seen: Record<string, unknown>[] = [];
    for (;;) {
      const body = (await (await api(`/api/jobs/${job.id}`, owner(job.resumeKey))).json()) as Record<string, unknown>;
      seen.push(body);
      if (!['queued', 'running'].includes(body.status as string)) break;
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    const running = seen.find((body) => body.status === 'running' && body.progress);
    const done = seen[seen.length - 1];
    expect(running).toBeDefined();
    expect(done).toMatchObject({ status: 'done', result: { plugin: 'superres', steps: 3, width: 48, height: 32 } });
    expect(done).toHaveProperty('startedAt');
    expect(done).toHaveProperty('finishedAt');
    for (const body of seen) expectValid('Job', body);
    expect(schema('Job')({ ...done, owner: 'someone' })).toBe(false);
  });

  it('describes the job list, a cancelled job and the error bodies', async () => {
    const job = await submit('plugin=denoise&steps=8');
    const cancelled = await api(`/api/jobs/${job.id}`, { method: 'DELETE', ...owner(job.resumeKey) });
    expectValid('Job', await cancelled.json());
    expectValid('JobList', await (await api('/api/jobs', owner(job.resumeKey))).json());
    const notFound = await api('/api/jobs/nope', owner(job.resumeKey));
    expect(notFound.status).toBe(404);
    expectValid('Error', await notFound.json());
    const badSteps = await api(`/api/jobs?plugin=denoise&steps=${MAX_STEPS + 1}`, { method: 'POST', body: bytes(await pngImage(8, 8)), headers: { 'content-type': 'image/png' } });
    expect(badSteps.status).toBe(400);
    expectValid('Error', await badSteps.json());
  });

  it("describes health and the plugin list, and gives each plugin's parameters the schema /api/plugins reports", async () => {
    expectValid('Health', await (await api('/api/health')).json());
    const list = (await (await api('/api/plugins')).json()) as { plugins: { id: string; paramsSchema: Record<string, unknown> }[] };
    expectValid('PluginList', list);
    expect(list.plugins.map((p) => p.id)).toEqual([...builtinPluginIds()].sort());
    for (const plugin of list.plugins) {
      const { $schema: _dialect, ...params } = plugin.paramsSchema;
      expect({ id: plugin.id, params: doc.components.schemas[`${plugin.id}Params`] }).toEqual({ id: plugin.id, params });
    }
  });

  it('describes the admin answers: the status listing and a disable and enable', async () => {
    expectValid('PluginAdminStatus', await (await api('/api/admin/plugins', admin)).json());
    const disabled = await api('/api/admin/plugins/dehaze/disable', { method: 'POST', ...admin });
    expect(disabled.status).toBe(200);
    expectValid('PluginVersions', await disabled.json());
    expectValid('PluginVersions', await (await api('/api/admin/plugins/dehaze/enable', { method: 'POST', ...admin })).json());
  });

  it("takes the submission's query parameters from the protocol: steps 1..MAX_STEPS, the loaded plugin ids, each plugin's parameters", async () => {
    const parameters = doc.paths['/api/jobs'].post.parameters ?? [];
    const byName = Object.fromEntries(parameters.map((p) => [p.name, p.schema]));
    expect(byName.steps).toMatchObject({ type: 'integer', minimum: 1, maximum: MAX_STEPS });
    const list = (await (await api('/api/plugins')).json()) as { plugins: { id: string }[] };
    expect(byName.plugin.enum).toEqual(list.plugins.map((p) => p.id));
    expect(byName.params).toEqual({ anyOf: list.plugins.map((p) => ({ $ref: `#/components/schemas/${p.id}Params` })) });
  });
});
