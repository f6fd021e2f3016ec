/** multer's `fields()` result: uploaded files by field name. */
export type UploadedFiles = Record<string, { readonly buffer: Buffer }[] | undefined>;

/** Query and form names that are not plugin parameters. */
const RESERVED = new Set(['plugin', 'version', 'steps', 'seed', 'resultMime', 'params', 'token', 'image', 'mask']);

/**
 * A REST submission as the socket protocol's SubmitJob: the image from the body (raw) or the `image`
 * file (multipart); plugin, version, steps, seed and resultMime from the query or form; the plugin's
 * parameters as `params` (JSON) or as any other query or form field, numbers and booleans read as such.
 * Values keep their type only where they clearly are one, so a wrong type still reaches the schema.
 */
export function requestFields(query: unknown, body: unknown, files: UploadedFiles | undefined): Record<string, unknown> {
  const form = files ? ((body ?? {}) as Record<string, unknown>) : {};
  const fields: Record<string, unknown> = { ...(query as Record<string, unknown>), ...form };
  const image = files ? files.image?.[0]?.buffer : Buffer.isBuffer(body) && body.length ? body : undefined;
  const mask = files?.mask?.[0]?.buffer;
  const params: Record<string, unknown> = typeof fields.params === 'string' ? parseJson(fields.params) : {};
  for (const [key, value] of Object.entries(fields)) if (!RESERVED.has(key)) params[key] = scalar(value);
  const submission: Record<string, unknown> = {
    plugin: fields.plugin,
    image,
    params,
    preview: { enabled: false },
  };
  if (mask) submission.mask = mask;
  for (const key of ['version', 'resultMime'] as const) if (fields[key] !== undefined) submission[key] = fields[key];
  for (const key of ['steps', 'seed'] as const) if (fields[key] !== undefined) submission[key] = scalar(fields[key]);
  return submission;
}

function scalar(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below as a parameter of the wrong type.
  }
  return { params: text };
}
