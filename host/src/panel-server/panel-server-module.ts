import { ContainerModule } from 'inversify';
import { HttpRouteContribution } from '../server/http-route-contribution.interface';
import { PanelOptions, panelOptionsFromEnvironment } from './panel-options';
import { PanelRouteContribution } from './panel-route-contribution';

/** The panel and Photopea pages, configured from the environment (see `panelOptionsFromEnvironment`). */
export const panelServerModule = new ContainerModule((bind) => {
  bind<PanelOptions>(PanelOptions).toConstantValue(panelOptionsFromEnvironment());
  bind<HttpRouteContribution>(HttpRouteContribution).to(PanelRouteContribution).inSingletonScope();
});
