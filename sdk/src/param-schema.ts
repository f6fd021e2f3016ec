import { errors } from '@fluxir/core';
import { z } from 'zod';

/** The JSON Schema of a plugin's parameters as clients send them, which the panel turns into a form. */
export interface ParamsJsonSchema {
  readonly type: 'object';
  readonly properties?: Record<string, Record<string, unknown>>;
  readonly required?: readonly string[];
  readonly [key: string]: unknown;
}

/**
 * Converts a parameter schema with zod 4's `z.toJSONSchema` (input side: fields with defaults are
 * optional). Titles and descriptions come from `.meta({ title, description })` on each field.
 * Throws E_PARAMS naming the problem when the schema is not an object schema or holds something
 * JSON Schema cannot express (dates, transforms, custom checks): the panel could not build a form.
 */
export function paramsJsonSchema(schema: z.ZodType, owner = 'params'): ParamsJsonSchema {
  let json: Record<string, unknown>;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' }) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw errors.invalidParameter(owner, 'a schema JSON Schema can express (objects of numbers, literals, enums, booleans and strings; no dates, maps or custom types)', reason);
  }
  if (json.type !== 'object') {
    throw errors.invalidParameter(owner, 'an object schema such as z.strictObject({ ... })', `a schema of type ${String(json.type)}`);
  }
  return json as ParamsJsonSchema;
}

/** Fields of the parameter schema that have neither a title nor a description (the panel shows the bare key). */
export function undocumentedParams(json: ParamsJsonSchema): string[] {
  return Object.entries(json.properties ?? {})
    .filter(([, field]) => typeof field.title !== 'string' && typeof field.description !== 'string')
    .map(([key]) => key);
}
