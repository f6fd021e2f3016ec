import { ContainerModule } from 'inversify';
import { JobQueue } from '../job-queue.interface';
import { RedisJobQueue } from './redis-job-queue';

/** Redis mode: the host node's queue is BullMQ, run by `fluxir worker` processes. */
export const redisJobModule = new ContainerModule((_bind, _unbind, _isBound, rebind) => {
  rebind<JobQueue>(JobQueue).to(RedisJobQueue).inSingletonScope();
});
