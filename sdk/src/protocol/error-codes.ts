import { z } from 'zod';

/**
 * Every code a client can receive. The engine's codes (E_DECODE ... E_PLUGIN, see @fluxir/core's
 * errors.ts) plus those of the serving layer. Codes are stable; messages are for people.
 */
export const ERROR_CODES = [
  // engine and plugins
  'E_DECODE',
  'E_TOO_LARGE',
  'E_UNKNOWN_TASK',
  'E_MASK',
  'E_WRITE',
  'E_PARAMS',
  'E_WEIGHTS',
  'E_ABORTED',
  'E_DATA',
  'E_PLUGIN',
  // serving
  'E_BAD_REQUEST', // a payload that does not match the protocol (wrong types, missing fields)
  'E_PAYLOAD_TOO_LARGE', // an upload over the byte limit
  'E_UNKNOWN_VERSION', // a version pin no loaded version of the plugin satisfies
  'E_UNAUTHORIZED', // missing or wrong token
  'E_RATE_LIMITED', // too many failed authentications from this address; wait for Retry-After
  'E_FORBIDDEN', // an admin operation without the admin token, an origin outside the CORS list or a Host header not allowed
  'E_QUEUE_FULL', // the queue is at capacity (jobs, or bytes of queued images)
  'E_CLIENT_LIMIT', // this client already has its maximum of open jobs
  'E_NOT_FOUND', // unknown job id (or its result has expired)
  'E_NOT_READY', // a result asked for before the job is done
  'E_TIMEOUT', // the job ran past the per-job timeout
  'E_SHUTTING_DOWN', // the host is stopping and accepts no new jobs
  'E_INTERNAL', // a bug: anything else
] as const;

export type ProtocolErrorCode = (typeof ERROR_CODES)[number];

/** An error as every client receives it: a stable code and a message for people. */
export const protocolErrorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });

export type ProtocolError = Readonly<z.infer<typeof protocolErrorSchema>>;
