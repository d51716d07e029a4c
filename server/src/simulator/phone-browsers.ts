import { createInAppBrowser, type InAppBrowser } from './in-app-browser.js';
import type { ResolvedSimulatorOptions } from './options.js';
import type { UserDirectory, UserSeed } from './users.js';

/**
 * One WeChat in-app browser per user, kept for the simulator's life as a phone keeps its
 * cookies: a second visit finds what the first one left (a session, a remembered consent).
 */

export interface PhoneBrowsers {
  /**
   * The browser of this user's WeChat. An openid never seen becomes a user: from the seed when
   * one is given, else one who does not follow the account and has no unionid.
   */
  browserFor(user: string | UserSeed): InAppBrowser;
}

export function createPhoneBrowsers(options: ResolvedSimulatorOptions, users: UserDirectory): PhoneBrowsers {
  const byOpenid = new Map<string, InAppBrowser>();
  return {
    browserFor(user) {
      const seed = typeof user === 'string' ? { openid: user, subscribed: false } : user;
      const { openid } = seed;
      // The authorization page asks anyone it does not know who they are; this user it must know.
      if (!users.byOpenid.has(openid)) users.remember(seed);
      const existing = byOpenid.get(openid);
      if (existing) return existing;
      const browser = createInAppBrowser({ openid, simulatorBaseUrl: options.publicBaseUrl });
      byOpenid.set(openid, browser);
      return browser;
    },
  };
}
