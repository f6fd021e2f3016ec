/** Who owns a job: the server-issued credential a client holds, and the owner id derived from it. */
export interface Principal {
  /** Handed to the client (socket `session` event, REST `resumeKey` field); never logged. */
  readonly resumeKey: string;
  /** Stored with the client's jobs; never sent to any client. */
  readonly owner: string;
}

export const ResumeKeys = Symbol('ResumeKeys');
/**
 * Issues and checks resume keys. A key is unguessable (128 random bits) and signed with the host's
 * secret, so any node sharing that secret accepts it without a lookup, and no client can make one up.
 */
export interface ResumeKeys {
  mint(): Principal;
  /** The principal of a key this host (or one with the same secret) issued; undefined for anything else. */
  verify(resumeKey: string | undefined): Principal | undefined;
  /** Replaces the signing secret (Redis mode without a configured one: the deployment's shared secret). */
  useSecret(secret: string): void;
}
