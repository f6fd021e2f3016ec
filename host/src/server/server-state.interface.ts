import { z } from 'zod';

export const engineStatusSchema = z.object({
  ready: z.boolean(),
  version: z.string().optional(),
  backend: z.string().optional(),
  error: z.string().optional().meta({ description: 'why the engine could not start' }),
});

export type EngineStatus = Readonly<z.infer<typeof engineStatusSchema>>;

export const ServerState = Symbol('ServerState');
/** What the running server knows about itself: whether it is stopping, and the engine's status. */
export interface ServerState {
  stopping: boolean;
  engine: EngineStatus;
  readonly hostVersion: string;
}
