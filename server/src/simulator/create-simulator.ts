import { Router } from 'express';
import { createAccessTokenRegistry } from './access-tokens.js';
import { wechatApiRouter } from './api-router.js';
import { avatarRoute } from './avatar-route.js';
import { devRoutes } from './dev-routes.js';
import { createSimulatorFaults, type SimulatorFaults } from './faults.js';
import { oauthApiRoutes } from './oauth-api-routes.js';
import { authorizeRoutes } from './oauth-authorize-routes.js';
import { createOAuthCodeRegistry } from './oauth-codes.js';
import { createWebAccessTokenRegistry } from './oauth-web-tokens.js';
import { resolveSimulatorOptions, type WechatSimulatorOptions } from './options.js';
import { createSimulatedPhone, type SimulatedPhone } from './phone.js';
import { createSimulatorStats, type SimulatorStats } from './stats.js';
import { createTicketRegistry, type SimulatedTicket } from './tickets.js';
import { createUserDirectory, type SimulatedUser } from './users.js';

/**
 * A faithful stand-in for WeChat: its REST API, its pushes to our webhook, and a phone.
 * Deliberately independent of src/wechat/* (it signs and encrypts with wechat-crypto and
 * node:crypto itself), so tests that use it cross-check our protocol code.
 */

/** Read access to what the simulated WeChat remembers. */
export interface SimulatorState {
  /** ticket → its scene, url and expiry (expired tickets stay a day, as WeChat would still know them). */
  readonly tickets: ReadonlyMap<string, SimulatedTicket>;
  /** openid → the user as the account knows them. */
  readonly users: ReadonlyMap<string, SimulatedUser>;
  /** The ticket for a ticket, its url or a /q/<code> path. */
  findTicket(ticketOrUrl: string): SimulatedTicket | undefined;
  /** Unexpired tickets, newest first. */
  liveTickets(): SimulatedTicket[];
}

export interface WechatSimulator {
  /**
   * Mount anywhere: /cgi-bin/... (the API), /connect/oauth2/authorize and /sns/... (web
   * authorization), /mmopen/... (avatars), / and /q/:code (developer pages), /phone/scan.
   */
  router: Router;
  phone: SimulatedPhone;
  faults: SimulatorFaults;
  stats: SimulatorStats;
  state: SimulatorState;
}

export function createWechatSimulator(options: WechatSimulatorOptions): WechatSimulator {
  const resolved = resolveSimulatorOptions(options);
  const tokens = createAccessTokenRegistry(resolved.now, resolved.tokenTtlSeconds);
  const tickets = createTicketRegistry(resolved.now, resolved.publicBaseUrl);
  const users = createUserDirectory(resolved.now);
  const stats = createSimulatorStats();
  const faultControls = createSimulatorFaults(() => tokens.revokeAll());
  const codes = createOAuthCodeRegistry(resolved.now);
  const webTokens = createWebAccessTokenRegistry(resolved.now);
  const phone = createSimulatedPhone({ options: resolved, tickets, users, stats });

  const router = Router();
  router.use('/cgi-bin', wechatApiRouter({ options: resolved, tokens, tickets, users, stats, faults: faultControls }));
  router.use(oauthApiRoutes({ options: resolved, users, codes, webTokens, stats, faults: faultControls }));
  router.use(authorizeRoutes({ options: resolved, users, codes, stats, faults: faultControls }));
  router.use(avatarRoute(stats));
  router.use(devRoutes({ now: resolved.now, tickets, users, phone }));

  const state: SimulatorState = {
    tickets: tickets.byTicket,
    users: users.byOpenid,
    findTicket: (ticketOrUrl) => tickets.find(ticketOrUrl),
    liveTickets: () => tickets.live(),
  };
  return { router, phone, faults: faultControls.faults, stats, state };
}
