import { randomBytes } from 'node:crypto';
import { openRedis, redisKeys } from './redis-keys';

/**
 * The resume-key secret every host node of a Redis deployment shares: the first node to start stores
 * a random one, the others read it, so a client may resume its session on any node. Anyone who can
 * read Redis can read it, as they can read the jobs themselves.
 */
export async function sharedResumeSecret(redisUrl: string): Promise<string> {
  const redis = openRedis(redisUrl, 'fluxir-host-secret');
  try {
    await redis.set(redisKeys.resumeSecret, randomBytes(32).toString('base64url'), 'NX');
    const secret = await redis.get(redisKeys.resumeSecret);
    if (!secret) throw new Error('the shared resume-key secret could not be read from Redis');
    return secret;
  } finally {
    redis.disconnect();
  }
}
