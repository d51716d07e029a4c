import type { Browser } from 'playwright-core';
import { getQrcode } from '../browser-client.js';
import type { ServerHandle } from '../cluster.js';
import { freeLoopbackPort } from '../../e2e/support/free-port.js';
import { ensureAdminUiBuild } from '../page-load/admin-ui-build.js';
import { CHROMIUM_PATH, launchChromiumIfInstalled } from '../page-load/chromium.js';
import { visitConfirmationLink, type ConfirmationFigures } from '../page-load/confirmation-visit.js';
import { SLOW_4G } from '../page-load/network-profile.js';
import { SIGN_IN_PAGE_KINDS } from '../page-load/page-kinds.js';
import { confirmationNote, confirmationRows, signInNote, signInRows, type KindRuns } from '../page-load/page-rows.js';
import { visitFirstAndWarm } from '../page-load/sign-in-visits.js';
import { newWechatId, row, WEBHOOK_PATH, withServers, type BenchContext, type ScenarioResult } from '../scenario.js';

const DATABASE = 'pages';
const SIGN_IN_PATH = '/sign-in';

/** A QR code, scanned on the simulated phone: the link the chat reply carries. */
async function scannedConfirmationLink(ctx: BenchContext, server: ServerHandle, openid: string): Promise<string> {
  const scene = await getQrcode(server.url);
  const reply = await ctx.simulator.call('scanForConfirmationLink', { qrcodeContent: scene.qrcodeContent, openid, mode: 'safe' });
  if (reply.status !== 200 || !reply.link) throw new Error(`the scan's reply had no confirmation link (HTTP ${reply.status}): ${reply.replyContent.slice(0, 200)}`);
  return reply.link;
}

async function measurePages(ctx: BenchContext, browser: Browser, server: ServerHandle): Promise<{ kinds: KindRuns[]; confirmations: ConfirmationFigures[] }> {
  const { runs } = ctx.settings.signInPage;
  const kinds: KindRuns[] = [];
  for (const kind of SIGN_IN_PAGE_KINDS) {
    ctx.progress(`sign-in page, ${kind.label}: ${runs} × (first visit, warm reload) over ${SLOW_4G.name}`);
    const visits = [];
    for (let run = 0; run < runs; run += 1) visits.push(await visitFirstAndWarm(browser, kind, `${server.url}${SIGN_IN_PATH}`, SLOW_4G));
    kinds.push({ kind, visits });
  }
  ctx.progress(`confirmation page: ${runs} links opened inside WeChat over ${SLOW_4G.name}`);
  await ctx.simulator.call('setWebhook', { url: `${server.url}${WEBHOOK_PATH}` });
  const confirmations: ConfirmationFigures[] = [];
  for (let run = 0; run < runs; run += 1) {
    const openid = newWechatId();
    const link = await scannedConfirmationLink(ctx, server, openid);
    confirmations.push(await visitConfirmationLink(browser, link, openid, ctx.simulator.url, SLOW_4G));
  }
  return { kinds, confirmations };
}

function methodNote(browserVersion: string, runs: number, buildNote: string): string {
  return (
    `Sign-in page on a phone: Debian's Chromium ${browserVersion} (${CHROMIUM_PATH}, headless, through playwright-core as the browser tests), ` +
    `network emulated by Chromium (CDP Network.emulateNetworkConditions: ${SLOW_4G.roundTripMs} ms latency, ${SLOW_4G.downloadBitsPerSecond / 1e6} Mbit/s down, ` +
    `${SLOW_4G.uploadBitsPerSecond / 1e3} kbit/s up: DevTools' "${SLOW_4G.name}"), one server serving admin-ui/dist as in production, ${SIGN_IN_PATH} loaded ` +
    `${runs}× per kind in a fresh browser context (empty cache, new connection), then reloaded in it (warm); the table shows medians. Usable: the QR code ` +
    `drawn and waiting (img.wl-qr loaded in .wl[data-status=waiting]) or, inside WeChat, the one-tap button shown, stamped by the page itself from the ` +
    `navigation's start. Bytes: CDP's encodedDataLength (headers and encoded bodies) of every request in by then; a request still open then ` +
    `(the scan-events stream) counts its headers and the body received so far. Floor: the round trips the visit could not avoid ` +
    `(connect, document, scripts and styles in parallel, API calls in parallel, the QR image only when not drawn in the page) × ${SLOW_4G.roundTripMs} ms + ` +
    `bytes / downlink. Chromium asks for gzip, deflate, br and zstd (loopback counts as secure, as HTTPS does). Chromium's emulation adds the latency once per request and charges neither the TCP connect nor slow start, and the CPU is ` +
    `this machine's, not a phone's: a real phone on this network is slower, and a measured time can come out under the floor by the connect's round trip. ` +
    `kB = 1,000 bytes. ${buildNote}`
  );
}

/**
 * The sign-in page in Chromium over an emulated slow-4G network, on a computer, in a phone browser
 * and inside WeChat, and the confirmation page the scan's reply links to: bytes before usable, time
 * to usable (first and warm visit) and the floor the network allows.
 */
export async function benchSignInPage(ctx: BenchContext): Promise<ScenarioResult> {
  const browser = await launchChromiumIfInstalled();
  if (!browser) {
    return {
      rows: [row('Sign-in page on a phone (Chromium, slow 4G)', 'skipped: no Chromium', { target: 'Chromium installed' })],
      notes: [`Sign-in page on a phone: skipped, no executable Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set E2E_CHROMIUM_PATH).`],
    };
  }
  try {
    const buildNote = await ensureAdminUiBuild(ctx.progress);
    // The server's public URL is where it listens: the confirmation link and WeChat's way back must reach it.
    const publicPort = await freeLoopbackPort();
    const { kinds, confirmations } = await withServers(ctx, DATABASE, [{ name: 'server-pages', mode: 'safe', serveSpa: true, publicPort }], ([server]) =>
      measurePages(ctx, browser, server!),
    );
    return {
      rows: [...kinds.flatMap(signInRows), ...confirmationRows(confirmations)],
      notes: [
        methodNote(browser.version(), ctx.settings.signInPage.runs, buildNote),
        ...kinds.map(signInNote),
        confirmationNote(confirmations, SLOW_4G, `127.0.0.1:${publicPort}`),
      ],
    };
  } finally {
    await browser.close();
  }
}
