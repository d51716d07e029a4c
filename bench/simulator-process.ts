/**
 * The WeChat simulator in a process of its own, playing WeChat's side of the
 * bench: the REST API the servers call (token, qrcode/create, user/info) and
 * the phones whose scans it pushes, signed (and AES-encrypted in safe mode),
 * to a server's webhook. It times each push from sending to WeChat's receipt
 * of the answer, and verifies the passive reply as WeChat would.
 */
import { startWechatSimulatorServer } from '../server/src/simulator/index.js';
import { linksInReply } from '../server/src/simulator/in-app-browser.js';
import type { SimulatorCounters } from '../server/src/simulator/index.js';
import { epochNowMs } from './clock.js';
import { announceReady, serveIpc } from './ipc.js';
import { processUsage, type ProcessUsage } from './process-usage.js';
import { BENCH_WECHAT, type PushMode } from './wechat-account.js';

export interface ScanRequest {
  /** What the QR code encodes (get-qrcode's qrcodeContent). */
  qrcodeContent: string;
  openid: string;
  unionid: string | null;
  /** Also push the very same event again (same CreateTime, so same dedupe key), as a WeChat retry. */
  withRetry: boolean;
}

export interface ScanBatch {
  requests: ScanRequest[];
  mode: PushMode;
  /** This many pushes in flight: each next one starts when one is answered. */
  concurrency: number;
  /**
   * Open loop instead: the pushes start at this steady rate, whatever the
   * answers do, as scans arrive from many phones (`concurrency` is then unused).
   */
  ratePerSecond?: number;
}

export interface PushOutcome {
  sceneId: string;
  openid: string;
  retry: boolean;
  status: number;
  /** The webhook answered with a passive reply that WeChat would accept. */
  replied: boolean;
  sentAtMs: number;
  answeredAtMs: number;
  error: string | null;
}

/** One phone scanning one code, and what the account replied in the chat. */
export interface ConfirmationLinkRequest {
  qrcodeContent: string;
  openid: string;
  mode: PushMode;
}

export interface ConfirmationLinkReply {
  status: number;
  /** The first link in the passive reply (the confirmation page's), or null when the reply had none. */
  link: string | null;
  /** The reply's text, for the error message when there is no link. */
  replyContent: string;
}

export interface SimulatorProcessApi {
  [method: string]: (payload: never) => unknown;
  stats(): SimulatorCounters;
  resetStats(): void;
  setWebhook(input: { url: string }): void;
  scan(batch: ScanBatch): Promise<PushOutcome[]>;
  /** The phone scans and the chat shows the reply: its link opens the confirmation page. */
  scanForConfirmationLink(request: ConfirmationLinkRequest): Promise<ConfirmationLinkReply>;
  usage(options: { collectGarbage: boolean }): ProcessUsage;
}

let webhookUrl = '';
const running = await startWechatSimulatorServer({
  appId: BENCH_WECHAT.appId,
  appSecret: BENCH_WECHAT.appSecret,
  token: BENCH_WECHAT.token,
  encodingAESKey: BENCH_WECHAT.encodingAESKey,
  ghId: BENCH_WECHAT.ghId,
  messageMode: 'safe',
  webhookUrl: () => webhookUrl,
  pushRetries: 0,
});
const { simulator } = running;

interface QueuedPush {
  request: ScanRequest;
  retry: boolean;
  /** Filled when the first delivery starts: the exact event, for its retry. */
  event?: { fields: Record<string, string>; sceneId: string };
}

function failure(item: QueuedPush, sentAtMs: number, error: unknown): PushOutcome {
  return {
    sceneId: item.event?.sceneId ?? '',
    openid: item.request.openid,
    retry: item.retry,
    status: 0,
    replied: false,
    sentAtMs,
    answeredAtMs: epochNowMs(),
    error: error instanceof Error ? error.message : String(error),
  };
}

/** The phone scans (first delivery), or WeChat delivers the same event again (retry). */
async function pushOne(item: QueuedPush, mode: PushMode, original: QueuedPush | undefined): Promise<PushOutcome> {
  const sentAtMs = epochNowMs();
  try {
    let result;
    if (!item.retry) {
      const ticket = simulator.state.findTicket(item.request.qrcodeContent);
      if (!ticket) throw new Error(`unknown QR code ${item.request.qrcodeContent}`);
      const createTimeSeconds = Math.floor(Date.now() / 1000);
      const pending = simulator.phone.scan({
        ticketOrUrl: item.request.qrcodeContent,
        user: { openid: item.request.openid, unionid: item.request.unionid, subscribed: false },
        createTimeSeconds,
        mode,
        retries: 0,
      });
      // A new follower scanning: exactly what phone.scan sends, kept for the retry.
      item.event = {
        sceneId: ticket.sceneStr,
        fields: {
          ToUserName: BENCH_WECHAT.ghId,
          FromUserName: item.request.openid,
          CreateTime: String(createTimeSeconds),
          MsgType: 'event',
          Event: 'subscribe',
          EventKey: `qrscene_${ticket.sceneStr}`,
          Ticket: ticket.ticket,
        },
      };
      result = await pending;
    } else {
      if (!original?.event) throw new Error('a retry was dequeued before its first delivery');
      item.event = original.event;
      result = await simulator.phone.push({ fields: original.event.fields, mode, retries: 0 });
    }
    return {
      sceneId: item.event.sceneId,
      openid: item.request.openid,
      retry: item.retry,
      status: result.status,
      replied: result.reply !== null,
      sentAtMs,
      answeredAtMs: epochNowMs(),
      error: result.status === 200 ? null : result.body.slice(0, 200),
    };
  } catch (error) {
    return failure(item, sentAtMs, error);
  }
}

async function scanBatch(batch: ScanBatch): Promise<PushOutcome[]> {
  if (!webhookUrl) throw new Error('setWebhook first');
  const queue: QueuedPush[] = [];
  const originals = new Map<QueuedPush, QueuedPush>();
  for (const request of batch.requests) {
    const first: QueuedPush = { request, retry: false };
    queue.push(first);
    if (request.withRetry) {
      const again: QueuedPush = { request, retry: true };
      originals.set(again, first);
      queue.push(again);
    }
  }
  if (batch.ratePerSecond) return scanAtRate(queue, originals, batch.mode, batch.ratePerSecond);
  const outcomes: PushOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const item = queue[next++]!;
      outcomes.push(await pushOne(item, batch.mode, originals.get(item)));
    }
  };
  await Promise.all(Array.from({ length: batch.concurrency }, worker));
  return outcomes;
}

/** Push i starts at start + i / rate: an arrival rate, so a slow answer never delays the next push. */
async function scanAtRate(queue: QueuedPush[], originals: Map<QueuedPush, QueuedPush>, mode: PushMode, ratePerSecond: number): Promise<PushOutcome[]> {
  const startMs = epochNowMs() + 10;
  return Promise.all(
    queue.map(async (item, index) => {
      const dueMs = startMs + (index * 1000) / ratePerSecond;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueMs - epochNowMs())));
      return pushOne(item, mode, originals.get(item));
    }),
  );
}

async function scanForConfirmationLink(request: ConfirmationLinkRequest): Promise<ConfirmationLinkReply> {
  if (!webhookUrl) throw new Error('setWebhook first');
  const result = await simulator.phone.scan({
    ticketOrUrl: request.qrcodeContent,
    user: { openid: request.openid, unionid: null, subscribed: false },
    mode: request.mode,
    retries: 0,
  });
  const replyContent = result.reply?.Content ?? '';
  return { status: result.status, link: linksInReply(replyContent)[0]?.href ?? null, replyContent };
}

const stop = () => void running.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('disconnect', stop);

serveIpc({
  stats: (): SimulatorCounters => {
    // Every counter, without the reset function (which IPC cannot carry).
    const { reset: _reset, ...counters } = simulator.stats;
    return counters;
  },
  resetStats: () => simulator.stats.reset(),
  setWebhook: ({ url }: { url: string }) => {
    webhookUrl = url;
  },
  scan: (batch: ScanBatch) => scanBatch(batch),
  scanForConfirmationLink: (request: ConfirmationLinkRequest) => scanForConfirmationLink(request),
  usage: ({ collectGarbage }: { collectGarbage: boolean }) => processUsage(collectGarbage),
} satisfies SimulatorProcessApi);
announceReady(running.url);
