import * as path from 'node:path';
import { ContainerModule } from 'inversify';
import { HttpRouteContribution } from '../server/http-route-contribution.interface';
import { parseFrameAncestors } from './frame-ancestors';
import { PanelOptions } from './panel-options';
import { PanelRouteContribution } from './panel-route-contribution';

/** host/panel/dist, from host/src/panel-server (sources under jest) and host/dist/panel-server alike. */
const PANEL_DIST = path.resolve(__dirname, '..', '..', 'panel', 'dist');

/**
 * The panel and Photopea pages. FLUXIR_PUBLIC_URL sets the URL Photopea is told to load;
 * FLUXIR_FRAME_ANCESTORS the origins, besides Photopea's, that may frame the panel.
 */
export const panelServerModule = new ContainerModule((bind) => {
  bind<PanelOptions>(PanelOptions).toConstantValue({
    publicUrl: process.env.FLUXIR_PUBLIC_URL || undefined,
    frameAncestors: parseFrameAncestors(process.env.FLUXIR_FRAME_ANCESTORS),
    distDir: PANEL_DIST,
  });
  bind<HttpRouteContribution>(HttpRouteContribution).to(PanelRouteContribution).inSingletonScope();
});
