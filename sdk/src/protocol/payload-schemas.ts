import { MAX_STEPS } from '@fluxir/core/step-limit';
import { z } from 'zod';

/** Run-time checks of everything a client sends (socket.io payloads and REST queries). */
const binary = z.custom<ArrayBuffer | Uint8Array>(
  (v) => v instanceof ArrayBuffer || v instanceof Uint8Array,
  { message: 'expected binary data (Buffer, Uint8Array or ArrayBuffer)' },
);

export const previewOptionsSchema = z
  .object({
    enabled: z.boolean().optional(),
    mime: z.enum(['image/jpeg', 'image/webp']).optional(),
    maxSide: z.number().int().min(16).max(2048).optional(),
    quality: z.number().int().min(1).max(100).optional(),
  })
  .strict();

export const submitJobSchema = z
  .object({
    plugin: z.string().min(1).max(100),
    version: z.string().min(1).max(100).optional(),
    image: binary,
    mask: binary.optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    steps: z.number().int().min(1).max(MAX_STEPS).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    preview: previewOptionsSchema.optional(),
    resultMime: z.enum(['image/png', 'image/jpeg', 'image/webp']).optional(),
  })
  .strict();

export const jobRefSchema = z.object({ jobId: z.string().min(1).max(100) }).strict();

export const attachSchema = z
  .object({ jobId: z.string().min(1).max(100), afterSeq: z.number().int().min(0).optional() })
  .strict();

/** Other fields (an old client's `clientId`) are ignored: a client cannot name its principal. */
export const handshakeAuthSchema = z
  .object({ token: z.string().max(1000).optional(), resumeKey: z.string().max(200).optional() })
  .passthrough();
