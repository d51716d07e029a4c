import { randomInt } from 'node:crypto';
import { AppError } from '../errors.js';
import type { MessageMode, ResolvedSimulatorOptions } from './options.js';
import { deliverPush } from './push-delivery.js';
import { linksInReply, type InAppBrowser, type PageVisit } from './in-app-browser.js';
import { createPhoneBrowsers } from './phone-browsers.js';
import { buildPushEnvelope, type PushTampering } from './push-envelope.js';
import { readPassiveReply } from './reply-reader.js';
import type { XmlFields } from './simulator-xml.js';
import type { SimulatorStats } from './stats.js';
import type { TicketRegistry } from './tickets.js';
import type { UserDirectory, UserSeed } from './users.js';

/** The user's side of WeChat: scanning codes, following, writing to the account. */

export interface ScanInput {
  /** The ticket, its url, or a path ending in /q/<code>. */
  ticketOrUrl: string;
  /** Used the first time this openid appears; after that the remembered state wins. */
  user: UserSeed;
  createTimeSeconds?: number;
  mode?: MessageMode;
  retries?: number;
}

export interface RawPushInput {
  fields: Readonly<Record<string, string>>;
  mode?: MessageMode;
  /** Sign with these instead of the current time and a random nonce (for official vectors). */
  timestamp?: string;
  nonce?: string;
  tamper?: PushTampering;
  retries?: number;
}

export interface PushResult {
  status: number;
  body: string;
  /** The passive reply, decrypted and verified; null for `success` or an empty body. */
  reply: XmlFields | null;
  /** The message that was pushed (before encryption). */
  fields: XmlFields;
  /** The query string of the last attempt: signature, timestamp, nonce, ... */
  query: Readonly<Record<string, string>>;
  /** The body of the last attempt as sent (the AES envelope in safe mode): what a log or a proxy could capture. */
  sentBody: string;
  attempts: number;
}

/** The confirmation page's answer, after the phone tapped a button on it. */
export interface ConfirmationAnswer {
  /** The HTTP status of the answer page (or of the link itself when it offered no question). */
  status: number;
  /** The page's `data-outcome` (confirmed, denied, decided, expired, invalid, or any other the server adds). */
  outcome: string | null;
  html: string;
}

export interface AnswerOptions {
  acceptLanguage?: string;
  /** Someone else opens the link (it was forwarded to them): their WeChat, not the recipient's. */
  asOpenid?: string;
}

export interface SimulatedPhone {
  scan(input: ScanInput): Promise<PushResult>;
  /**
   * Opens the link in a scan's reply in the in-app browser of the reply's recipient (or of
   * `asOpenid`) and taps "confirm" or "this wasn't me", as the person holding the phone would.
   */
  answerConfirmation(reply: XmlFields | null, decision: 'confirm' | 'deny', options?: AnswerOptions): Promise<ConfirmationAnswer>;
  /** Opens `url` in this user's WeChat, as a tap on a link in a chat does (a seed describes a user not seen yet). */
  openInWechat(user: string | UserSeed, url: string): Promise<PageVisit>;
  /** This user's in-app browser, the same one every time (cookies kept), for tests with several steps. */
  browser(user: string | UserSeed): InAppBrowser;
  sendText(input: { openid: string; content: string; msgId?: string; createTimeSeconds?: number }): Promise<PushResult>;
  unsubscribe(openid: string): Promise<PushResult>;
  push(input: RawPushInput): Promise<PushResult>;
}

export interface PhoneDeps {
  options: ResolvedSimulatorOptions;
  tickets: TicketRegistry;
  users: UserDirectory;
  stats: SimulatorStats;
}

/** WeChat's nonces are decimal numbers of up to 10 digits. */
function randomNonce(): string {
  return String(randomInt(100_000_000, 2_147_483_647));
}

/** MsgIds are 17-digit-ish decimal numbers. */
function randomMsgId(): string {
  return `2${String(randomInt(0, 2 ** 47)).padStart(16, '0')}`;
}

export function createSimulatedPhone({ options, tickets, users, stats }: PhoneDeps): SimulatedPhone {
  const nowSeconds = (): number => Math.floor(options.now() / 1000);
  const browsers = createPhoneBrowsers(options, users);

  async function push(input: RawPushInput): Promise<PushResult> {
    const mode = input.mode ?? options.messageMode;
    const fields: XmlFields = { ...input.fields };
    const outcome = await deliverPush({
      webhookUrl: options.webhookUrl(),
      buildEnvelope: () =>
        buildPushEnvelope({
          token: options.token,
          appId: options.appId,
          encodingAESKey: options.encodingAESKey,
          mode,
          fields,
          timestamp: input.timestamp ?? String(nowSeconds()),
          nonce: input.nonce ?? randomNonce(),
          ...(input.tamper ? { tamper: input.tamper } : {}),
        }),
      timeoutMs: options.pushTimeoutMs,
      retries: input.retries ?? options.pushRetries,
      logger: options.logger,
      onAttempt: () => (stats.pushesSent += 1),
      onAcknowledged: () => (stats.pushesAcknowledged += 1),
    });
    const isAcknowledged = outcome.status >= 200 && outcome.status < 300;
    const reply = isAcknowledged
      ? readPassiveReply(outcome.body, { token: options.token, appId: options.appId, encodingAESKey: options.encodingAESKey, mode })
      : null;
    return { status: outcome.status, body: outcome.body, reply, fields, query: outcome.envelope.query, sentBody: outcome.envelope.body, attempts: outcome.attempts };
  }

  function eventFields(openid: string, createTimeSeconds: number, event: Record<string, string>): Record<string, string> {
    return { ToUserName: options.ghId, FromUserName: openid, CreateTime: String(createTimeSeconds), MsgType: 'event', ...event };
  }

  return {
    push,

    async scan(input) {
      const found = tickets.lookup(input.ticketOrUrl);
      if (found.kind === 'unknown') throw new AppError(404, 'WECHAT_SIMULATOR_TICKET_UNKNOWN', 'No such QR code ticket');
      if (found.kind === 'expired') throw new AppError(410, 'WECHAT_SIMULATOR_TICKET_EXPIRED', 'This QR code has expired');
      const { ticket, sceneStr } = found.ticket;
      const user = users.remember(input.user);
      // Following happens in the WeChat app before the push, so user/info already says subscribe=1.
      const isNewFollower = !user.subscribed;
      if (isNewFollower) users.markSubscribed(user.openid, sceneStr);
      const event = isNewFollower
        ? { Event: 'subscribe', EventKey: `qrscene_${sceneStr}`, Ticket: ticket }
        : { Event: 'SCAN', EventKey: sceneStr, Ticket: ticket };
      return push({
        fields: eventFields(user.openid, input.createTimeSeconds ?? nowSeconds(), event),
        ...(input.mode ? { mode: input.mode } : {}),
        ...(input.retries !== undefined ? { retries: input.retries } : {}),
      });
    },

    async answerConfirmation(reply, decision, answerOptions = {}) {
      const [link] = linksInReply(reply?.Content ?? '');
      const recipient = answerOptions.asOpenid ?? reply?.ToUserName;
      if (!link) throw new AppError(404, 'WECHAT_SIMULATOR_NO_LINK', 'The reply carries no link to follow');
      if (!recipient) throw new AppError(400, 'WECHAT_SIMULATOR_NO_RECIPIENT', 'The reply names no recipient (ToUserName) whose phone could open it');
      const browser = browsers.browserFor(recipient);
      const language = answerOptions.acceptLanguage === undefined ? {} : { acceptLanguage: answerOptions.acceptLanguage };
      const page = await browser.open(link.href, language);
      const hasQuestion = page.status === 200 && page.html.includes('name="decision"');
      const answered = hasQuestion ? await browser.submitForm(page, { name: 'decision', value: decision }, language) : page;
      return { status: answered.status, outcome: /data-outcome="([a-z-]+)"/.exec(answered.html)?.[1] ?? null, html: answered.html };
    },

    openInWechat(user, url) {
      return browsers.browserFor(user).open(url);
    },

    browser(user) {
      return browsers.browserFor(user);
    },

    async sendText({ openid, content, msgId, createTimeSeconds }) {
      // Only followers can write to an account; someone new is taken to have followed earlier.
      const user = users.remember({ openid, subscribed: true });
      if (!user.subscribed) throw new AppError(409, 'WECHAT_SIMULATOR_NOT_FOLLOWING', `${openid} does not follow the account`);
      return push({
        fields: {
          ToUserName: options.ghId,
          FromUserName: openid,
          CreateTime: String(createTimeSeconds ?? nowSeconds()),
          MsgType: 'text',
          Content: content,
          MsgId: msgId ?? randomMsgId(),
        },
      });
    },

    async unsubscribe(openid) {
      const user = users.byOpenid.get(openid);
      if (!user?.subscribed) throw new AppError(409, 'WECHAT_SIMULATOR_NOT_FOLLOWING', `${openid} does not follow the account`);
      users.markUnsubscribed(openid);
      return push({ fields: eventFields(openid, nowSeconds(), { Event: 'unsubscribe', EventKey: '' }) });
    },
  };
}
