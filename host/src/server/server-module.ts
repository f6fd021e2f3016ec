import { ContainerModule } from 'inversify';
import { ServerMetrics } from '../common/server-metrics-protocol';
import { JobIntake } from './job-intake';
import { PluginCatalog } from './plugin-catalog';
import { PromServerMetrics } from './prom-server-metrics';
import { RestInfoRoutes } from './rest-info-routes';
import { RestJobRoutes } from './rest-job-routes';
import { ServerState } from './server-state';

/** The serving layer's services. ServerConfig is bound by whoever creates the server container. */
export const serverModule = new ContainerModule((bind) => {
  bind<ServerMetrics>(ServerMetrics).to(PromServerMetrics).inSingletonScope();
  bind(ServerState).toSelf().inSingletonScope();
  bind(JobIntake).toSelf().inSingletonScope();
  bind(PluginCatalog).toSelf().inSingletonScope();
  bind(RestInfoRoutes).toSelf().inSingletonScope();
  bind(RestJobRoutes).toSelf().inSingletonScope();
});
