import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { Principal, ResumeKeys } from './resume-keys.interface';
import { ServerConfig } from '../config/server-config.interface';

const ID_BYTES = 16;
const KEY_PATTERN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/**
 * Resume keys as `<id>.<HMAC-SHA256(secret, id)>`, both base64url: 16 random bytes of id, so a key is
 * unguessable, and a signature, so a key can only come from a host holding the secret. The owner id
 * is the random part: it identifies the principal but, without the signature, opens nothing.
 */
@injectable()
export class HmacResumeKeys implements ResumeKeys {
  private secret: Buffer;

  constructor(@inject(ServerConfig) config: ServerConfig) {
    this.secret = config.resumeSecret ? Buffer.from(config.resumeSecret) : randomBytes(32);
  }

  mint(): Principal {
    const id = randomBytes(ID_BYTES).toString('base64url');
    return { resumeKey: `${id}.${this.sign(id)}`, owner: id };
  }

  verify(resumeKey: string | undefined): Principal | undefined {
    const match = KEY_PATTERN.exec(resumeKey ?? '');
    if (!match) return undefined;
    const [, id, signature] = match;
    const expected = Buffer.from(this.sign(id));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected) ? { resumeKey: resumeKey!, owner: id } : undefined;
  }

  useSecret(secret: string): void {
    this.secret = Buffer.from(secret);
  }

  private sign(id: string): string {
    return createHmac('sha256', this.secret).update(id).digest('base64url');
  }
}
