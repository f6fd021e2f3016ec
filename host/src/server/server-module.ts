import { ContainerModule } from 'inversify';
import { ServerMetrics } from '../common/server-metrics-protocol';
import { JobIntake } from '../common/job-intake-protocol';
import { PluginCatalog } from '../common/plugin-catalog-protocol';
import { ResumeKeys } from '../common/resume-key-protocol';
import { ServerState } from '../common/server-state-protocol';
import { Authenticator } from './authenticator';
import { DefaultJobIntake } from './default-job-intake';
import { DefaultPluginCatalog } from './default-plugin-catalog';
import { DefaultServerState } from './default-server-state';
import { HmacResumeKeys } from './hmac-resume-keys';
import { PromServerMetrics } from './prom-server-metrics';

/** The serving layer's services. ServerConfig is bound by whoever creates the server container. */
export const serverModule = new ContainerModule((bind) => {
  bind<ServerMetrics>(ServerMetrics).to(PromServerMetrics).inSingletonScope();
  bind<ServerState>(ServerState).to(DefaultServerState).inSingletonScope();
  bind<JobIntake>(JobIntake).to(DefaultJobIntake).inSingletonScope();
  bind(Authenticator).toSelf().inSingletonScope();
  bind<ResumeKeys>(ResumeKeys).to(HmacResumeKeys).inSingletonScope();
  bind<PluginCatalog>(PluginCatalog).to(DefaultPluginCatalog).inSingletonScope();
});
