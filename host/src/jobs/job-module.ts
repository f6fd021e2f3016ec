import { ContainerModule } from 'inversify';
import { JobExecutor, JobQueue } from './job-queue.interface';
import { InProcessJobQueue } from './in-process/in-process-job-queue';
import { RestoreJobExecutor } from './restore-job-executor';

/** The embedded job queue. A Redis/BullMQ queue would rebind JobQueue and keep JobExecutor in its workers. */
export const jobModule = new ContainerModule((bind) => {
  bind<JobExecutor>(JobExecutor).to(RestoreJobExecutor).inSingletonScope();
  bind<JobQueue>(JobQueue).to(InProcessJobQueue).inSingletonScope();
});
