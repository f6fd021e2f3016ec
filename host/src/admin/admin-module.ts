import { ContainerModule } from 'inversify';
import { HttpRouteContribution } from '../server/http-route-contribution.interface';
import { PluginLifecycle } from './plugin-lifecycle.interface';
import { DefaultPluginLifecycle } from './default-plugin-lifecycle';
import { PluginAdminRoutes } from './plugin-admin-routes';
import { PluginContainerModules } from './plugin-container-modules';

/** Plugin administration at run time: the lifecycle service and its REST routes. */
export const adminModule = new ContainerModule((bind) => {
  bind(PluginContainerModules).toDynamicValue(({ container }) => new PluginContainerModules(container)).inSingletonScope();
  bind<PluginLifecycle>(PluginLifecycle).to(DefaultPluginLifecycle).inSingletonScope();
  bind<HttpRouteContribution>(HttpRouteContribution).to(PluginAdminRoutes).inSingletonScope();
});
