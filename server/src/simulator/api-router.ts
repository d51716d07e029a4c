import { Router } from 'express';
import type { AccessTokenRegistry } from './access-tokens.js';
import { qrcodeRoutes } from './api-qrcode-routes.js';
import { unreadableBodyAsWechatError } from './api-request.js';
import { tokenRoutes } from './api-token-routes.js';
import { userRoutes } from './api-user-routes.js';
import type { SimulatorFaultControls } from './faults.js';
import type { ResolvedSimulatorOptions } from './options.js';
import type { SimulatorStats } from './stats.js';
import type { TicketRegistry } from './tickets.js';
import type { UserDirectory } from './users.js';

export interface ApiRouterDeps {
  options: ResolvedSimulatorOptions;
  tokens: AccessTokenRegistry;
  tickets: TicketRegistry;
  users: UserDirectory;
  stats: SimulatorStats;
  faults: SimulatorFaultControls;
}

/** WeChat's REST API, to be mounted at `/cgi-bin`. Down and slow faults apply to every call. */
export function wechatApiRouter(deps: ApiRouterDeps): Router {
  const router = Router();
  router.use(deps.faults.connectionFaults);
  router.use(tokenRoutes(deps));
  router.use(qrcodeRoutes(deps));
  router.use(userRoutes(deps));
  router.use(unreadableBodyAsWechatError);
  return router;
}
