import type { z } from 'zod';
import { serverErrors } from '../errors/server-error';

/** Checks a client payload against its protocol schema; E_BAD_REQUEST naming each field that does not match. */
export function parsePayload<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw serverErrors.badRequest(describeIssues(parsed.error.issues));
  return parsed.data;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'payload'}: ${issue.message}`)
    .join('; ');
}
