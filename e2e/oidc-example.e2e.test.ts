import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newVisitor, saveScreenshot } from './support/browser';
import { adminCookie, examplePort, registerExample, type RunningExample, startExample } from './support/oidc';
import { fillAndSubmit, signInWithUsername } from './support/pages';
import { seedPasswordUsers } from './support/seed';
import { type RunningServer, startServer } from './support/server';
import { MOBILE_SAFARI_UA, nextQrcodeOn, phoneContext, scanWithSimulatedPhone } from './support/wechat';

/**
 * Another app signs its users in through this provider: examples/oidc-rp, a standard OIDC client on its
 * own port, as `npm run example` starts it. Sign-in at the provider's /sign-in, consent, the app's page
 * with the claims, and RP-initiated logout, all in Chromium.
 */
describe('an app signing its users in through the OIDC provider (examples/oidc-rp) in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  /** Third party, public (PKCE only): its users are asked for consent. */
  let shop: RunningExample;
  /** First party, confidential (with a secret): no consent. */
  let backOffice: RunningExample;
  const openid = `oOIDC_${randomBytes(6).toString('hex')}`;
  const wechatUserName = `WeChat user ${openid.slice(-6)}`;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
    await seedPasswordUsers(server.baseUrl);
    const cookie = await adminCookie(server.baseUrl);
    const [shopPort, backOfficePort] = [await examplePort(), await examplePort()];
    const shopApp = await registerExample(server.baseUrl, cookie, { exampleBaseUrl: `http://localhost:${shopPort}`, name: 'Lantern Tea Shop', type: 'public', firstParty: false });
    const backOfficeApp = await registerExample(server.baseUrl, cookie, { exampleBaseUrl: `http://localhost:${backOfficePort}`, name: 'Back office', type: 'confidential', firstParty: true });
    expect(shopApp.clientSecret).toBeNull();
    expect(backOfficeApp.clientSecret).toBeTruthy();
    [shop, backOffice] = await Promise.all([
      startExample({ issuer: server.baseUrl, port: shopPort, clientId: shopApp.clientId, name: 'shop' }),
      startExample({ issuer: server.baseUrl, port: backOfficePort, clientId: backOfficeApp.clientId, clientSecret: backOfficeApp.clientSecret, name: 'back-office' }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([shop?.stop(), backOffice?.stop()]);
    await server?.stop();
  });

  /** The provider's session as the browser holds it: null when signed out there. */
  async function providerSession(context: BrowserContext): Promise<unknown> {
    const response = await context.request.get(`${server.baseUrl}/api/auth/get-session`);
    return response.json();
  }

  /** Every path of the provider this page has been on, to tell whether consent was asked. */
  function providerPathsVisited(page: Page): string[] {
    const paths: string[] = [];
    page.on('framenavigated', (frame) => {
      const url = new URL(frame.url());
      if (frame === page.mainFrame() && url.origin === server.baseUrl) paths.push(url.pathname);
    });
    return paths;
  }

  /** From the app's home page to the provider's page `providerPath` (its sign-in page unless already signed in there). */
  async function startSignInAt(page: Page, app: RunningExample, providerPath = '/sign-in'): Promise<void> {
    await page.goto(app.baseUrl);
    await page.locator('[data-testid="signed-out"]').waitFor();
    await page.getByRole('button', { name: 'Sign in with WeChat' }).click();
    await page.waitForURL(`${server.baseUrl}${providerPath}?**`);
  }

  it('signs a WeChat user in by QR on a phone, asks consent, shows their name and openid, and signs them out at both', async () => {
    const context = await phoneContext(browser, shop.baseUrl, { userAgent: MOBILE_SAFARI_UA });
    const page = await context.newPage();
    const qrcode = nextQrcodeOn(page);
    await startSignInAt(page, shop);
    await page.locator('[data-testid="sign-in-for-app"]', { hasText: 'Lantern Tea Shop' }).waitFor();
    await page.locator('[data-testid="wechat-login"] img.wl-qr').waitFor();
    await scanWithSimulatedPhone(server.baseUrl, await qrcode, openid);

    await page.waitForURL(`${server.baseUrl}/oauth/consent?**`);
    const consent = page.locator('[data-testid="oauth-consent"]');
    await consent.getByText('Lantern Tea Shop').first().waitFor();
    await saveScreenshot(page, 'oidc-consent');
    await consent.locator('[data-testid="consent-allow"]').click();

    await page.waitForURL(`${shop.baseUrl}/`);
    await page.locator('[data-testid="user-name"]', { hasText: wechatUserName }).waitFor();
    await page.locator('[data-testid="wechat-openid"]', { hasText: openid }).waitFor();
    const claims = JSON.parse(await page.locator('[data-testid="id-token-claims"]').innerText()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: server.baseUrl, wechat_openid: openid });
    expect(await providerSession(context)).not.toBeNull();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${shop.baseUrl}/`);
    await page.locator('[data-testid="signed-out"]').waitFor();
    expect(await providerSession(context)).toBeNull();
    await context.close();
  });

  it('signs a password user in, asks consent, and shows their username without any WeChat openid; a session id planted beforehand stays signed out', async () => {
    // An attacker's own session id of the app, planted in the person's browser (cookies on localhost ignore the port).
    const attacker = await newVisitor(browser, shop.baseUrl);
    await attacker.page.goto(shop.baseUrl);
    const planted = (await attacker.context.cookies(shop.baseUrl)).find((cookie) => cookie.name === 'example_rp_session')!;
    const { context, page } = await newVisitor(browser, shop.baseUrl);
    await context.addCookies([{ name: planted.name, value: planted.value, url: shop.baseUrl }]);

    await startSignInAt(page, shop);
    await fillAndSubmit(page, '[data-testid="username-sign-in"]', { identifier: 'grace', password: 'seed-user-password' });

    await page.waitForURL(`${server.baseUrl}/oauth/consent?**`);
    await page.locator('[data-testid="consent-allow"]').click();
    await page.waitForURL(`${shop.baseUrl}/`);
    await page.locator('[data-testid="user-name"]', { hasText: 'Grace Hopper' }).waitFor();
    await page.locator('[data-testid="user-username"]', { hasText: 'grace' }).waitFor();
    await page.locator('[data-testid="wechat-openid"]', { hasText: 'none (no WeChat account)' }).waitFor();

    await attacker.page.reload();
    await attacker.page.locator('[data-testid="signed-out"]').waitFor();
    await Promise.all([context.close(), attacker.context.close()]);
  });

  it('sends a person who refuses consent back to the app signed out, with access_denied', async () => {
    const { context, page } = await newVisitor(browser, server.baseUrl);
    await signInWithUsername(page, 'ada', 'seed-user-password');
    await page.waitForURL('**/account');
    await startSignInAt(page, shop, '/oauth/consent');
    await page.locator('[data-testid="consent-deny"]').click();
    await page.locator('[data-testid="sign-in-error"]', { hasText: 'access_denied' }).waitFor();
    await page.goto(shop.baseUrl);
    await page.locator('[data-testid="signed-out"]').waitFor();
    await context.close();
  });

  it('refuses a stolen authorization code in another browser: the code is bound to the PKCE verifier of the browser that asked', async () => {
    // The victim allows the app; the page's navigation to the app's callback is held, so the code is not yet redeemed.
    // (The consent page sends the browser there itself; a provider redirect could not be held.)
    const victim = await newVisitor(browser, server.baseUrl);
    await signInWithUsername(victim.page, 'linwei', 'seed-user-password');
    await victim.page.waitForURL('**/account');
    await startSignInAt(victim.page, shop, '/oauth/consent');
    let stolenCallback: URL | null = null;
    await victim.page.route(`${shop.baseUrl}/callback?**`, async (route) => {
      stolenCallback = new URL(route.request().url());
      await route.abort();
    });
    await victim.page.locator('[data-testid="consent-allow"]').click();
    await expect.poll(() => stolenCallback).not.toBeNull();

    // The attacker starts a sign-in of their own (a state and verifier in their session), then lands on the victim's code with their own state.
    const attacker = await newVisitor(browser, shop.baseUrl);
    await attacker.page.route(`${server.baseUrl}/**`, (route) => route.abort());
    const ownAuthorization = attacker.page.waitForRequest(`${server.baseUrl}/**`);
    await attacker.page.goto(shop.baseUrl);
    await attacker.page.getByRole('button', { name: 'Sign in with WeChat' }).click();
    const attackerState = new URL((await ownAuthorization).url()).searchParams.get('state')!;
    const forged = new URL(stolenCallback!.href);
    forged.searchParams.set('state', attackerState);
    await attacker.page.goto(forged.href);
    // invalid_grant "code verification failed" (RFC 7636 §4.6): no sign-in.
    await attacker.page.locator('[data-testid="sign-in-error"]', { hasText: 'code verification failed' }).waitFor();
    await attacker.page.goto(shop.baseUrl);
    await attacker.page.locator('[data-testid="signed-out"]').waitFor();
    await Promise.all([victim.context.close(), attacker.context.close()]);
  });

  it('takes a person through a first-party app with no consent, and then into another app with no second sign-in', async () => {
    const { context, page } = await newVisitor(browser, server.baseUrl);
    const visited = providerPathsVisited(page);
    await startSignInAt(page, backOffice);
    await fillAndSubmit(page, '[data-testid="username-sign-in"]', { identifier: 'ada', password: 'seed-user-password' });
    await page.waitForURL(`${backOffice.baseUrl}/`);
    await page.locator('[data-testid="user-name"]', { hasText: 'Ada Lovelace' }).waitFor();
    expect(visited).toContain('/sign-in');
    expect(visited).not.toContain('/oauth/consent');

    // Signed in at the provider now: the third-party shop asks for consent only, not for a sign-in.
    await startSignInAt(page, shop, '/oauth/consent');
    await page.locator('[data-testid="consent-account"]', { hasText: 'Ada Lovelace' }).waitFor();
    await context.close();
  });

  it('lists both apps, their type and the issuer to configure on the admin Applications page', async () => {
    const { context, page } = await newVisitor(browser, server.baseUrl);
    await signInWithUsername(page, 'admin', 'e2e-admin-password');
    await page.waitForURL('**/admin/users');
    await page.locator('[data-testid="nav-applications"]').click();
    await page.waitForURL('**/admin/applications');
    const table = page.locator('[data-testid="applications-table"]');
    await table.locator('tr', { hasText: 'Lantern Tea Shop' }).getByText('公开客户端').waitFor();
    await table.locator('tr', { hasText: 'Back office' }).getByText('自有应用').waitFor();
    await page.locator('[data-testid="provider-endpoints"]', { hasText: `${server.baseUrl}/.well-known/openid-configuration` }).waitFor();
    await saveScreenshot(page, 'applications');
    await context.close();
  });
});
