import { ContainerModule } from 'inversify';
import { ServerMetrics } from './server-metrics.interface';
import { JobIntake } from './job-intake.interface';
import { PluginCatalog } from '../plugins/plugin-catalog.interface';
import { ResumeKeys } from './resume-keys.interface';
import { ServerState } from './server-state.interface';
import { Authenticator } from './authenticator';
import { DefaultJobIntake } from './default-job-intake';
import { DefaultPluginCatalog } from '../plugins/default-plugin-catalog';
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
