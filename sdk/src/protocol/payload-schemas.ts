import { MAX_STEPS } from '@fluxir/core/step-limit';
import { z } from 'zod';
import { imageMimeSchema, previewMimeSchema } from './job-schemas';

/**
 * Run-time checks of everything a client sends (socket.io payloads and REST queries). The payload
 * types in socket-events.ts are inferred from these schemas.
 */
const binary = z.custom<ArrayBuffer | Uint8Array>(
  (v) => v instanceof ArrayBuffer || v instanceof Uint8Array,
  { message: 'expected binary data (Buffer, Uint8Array or ArrayBuffer)' },
);

export const previewOptionsSchema = z
  .object({
    enabled: z.boolean().optional().meta({ description: 'default true' }),
    mime: previewMimeSchema.optional().meta({ description: "default 'image/jpeg'" }),
    maxSide: z.number().int().min(16).max(2048).optional().meta({ description: 'longest side in pixels of a preview frame (default 512)' }),
    quality: z.number().int().min(1).max(100).optional().meta({ description: 'default 75' }),
  })
  .strict();

export const submitJobSchema = z
  .object({
    plugin: z.string().min(1).max(100).meta({ description: 'plugin id, e.g. "denoise"' }),
    version: z.string().min(1).max(100).optional().meta({ description: 'a semver range pinning the plugin version (default: the newest loaded version)' }),
    image: binary.meta({ description: 'the encoded image (PNG, JPEG, WebP or TIFF)' }),
    mask: binary.optional().meta({ description: 'an encoded mask image, white = fill (required by inpaint)' }),
    params: z.record(z.string(), z.unknown()).optional().meta({ description: "the plugin's parameters, validated by its schema" }),
    steps: z.number().int().min(1).max(MAX_STEPS).optional().meta({ description: "step budget; the plugin's default when absent" }),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    preview: previewOptionsSchema.optional(),
    resultMime: imageMimeSchema.optional().meta({ description: 'encoding of the result (default: PNG)' }),
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
