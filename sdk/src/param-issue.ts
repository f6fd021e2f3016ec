import { oneOf } from '@fluxir/core';
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * What a parameter should have been, from zod's first issue with it, worded for
 * `expected <this> for <name> but received <value>`: "one of: 2, 4", "a number", "a number
 * of at most 1". zod's own messages ("Invalid input") do not fit that sentence.
 */
export function expectedByIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_value':
      return issue.values.length === 1 ? literal(issue.values[0]) : oneOf(issue.values.map(literal));
    case 'invalid_union': {
      const alternatives = issue.errors.map((errors) => (errors[0] ? expectedByIssue(errors[0]) : 'something else'));
      const literals = issue.errors.every((errors) => errors[0]?.code === 'invalid_value');
      return literals ? oneOf(alternatives) : alternatives.join(' or ');
    }
    case 'invalid_type':
      return article(issue.expected);
    case 'too_big':
      return `${article(issue.origin)} of at most ${String(issue.maximum)}${issue.inclusive === false ? ' (excluded)' : ''}`;
    case 'too_small':
      return `${article(issue.origin)} of at least ${String(issue.minimum)}${issue.inclusive === false ? ' (excluded)' : ''}`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `no parameter named ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    case 'invalid_format':
      return `a ${issue.format} string`;
    default:
      return issue.message.replace(/^Invalid input: expected /, '');
  }
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function article(noun: string): string {
  if (noun === 'int') return 'an integer';
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}
