import { request as httpRequest, type ClientRequest } from 'node:http';
import { epochNowMs } from './clock.js';
import { QR_ROUTES, type IssuedScene } from './browser-client.js';

export interface ScanEvent {
  event: string;
  data: { scanned?: boolean; openid?: string } | null;
  /** When the event reached us (epoch ms). */
  atMs: number;
}

/** One browser's push channel: GET scan-events as an EventSource would, on a connection of its own. */
export interface ScanStream {
  /** Resolves once the server answered 200: it subscribes in the same tick as it sends the headers. */
  opened: Promise<void>;
  /** The first `scan` or `expired` event. */
  settled: Promise<ScanEvent>;
  close(): void;
}

export function openScanStream(scene: IssuedScene): ScanStream {
  let request: ClientRequest | undefined;
  let resolveSettled!: (event: ScanEvent) => void;
  let rejectSettled!: (error: Error) => void;
  const settled = new Promise<ScanEvent>((resolve, reject) => {
    resolveSettled = resolve;
    rejectSettled = reject;
  });
  settled.catch(() => undefined); // a stream closed by us before a scan is not an error
  const opened = new Promise<void>((resolve, reject) => {
    request = httpRequest(`${scene.serverUrl}${QR_ROUTES}/scan-events?sceneId=${scene.sceneId}`, {
      agent: false,
      headers: { cookie: scene.cookie, accept: 'text/event-stream' },
    });
    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`scan-events answered ${response.statusCode}`));
        response.resume();
        return;
      }
      resolve();
      let buffered = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const atMs = epochNowMs();
        buffered += chunk;
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const event = parseEventBlock(block, atMs);
          if (event && (event.event === 'scan' || event.event === 'expired')) resolveSettled(event);
        }
      });
      response.on('end', () => rejectSettled(new Error('stream ended without a scan')));
    });
    request.on('error', (error) => {
      reject(error);
      rejectSettled(error);
    });
    request.end();
  });
  return { opened, settled, close: () => request?.destroy() };
}

function parseEventBlock(block: string, atMs: number): ScanEvent | null {
  let event = 'message';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data += line.slice(5).trim();
  }
  if (!data && event === 'message') return null;
  try {
    return { event, data: data ? (JSON.parse(data) as ScanEvent['data']) : null, atMs };
  } catch {
    return { event, data: null, atMs };
  }
}
