import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny webhook for tests of the simulator itself: it records every push and answers what the
 * test says. (Tests of our own webhook point the simulator at the real app instead.)
 */

export interface RecordedPush {
  path: string;
  query: Readonly<Record<string, string>>;
  headers: IncomingHttpHeaders;
  body: string;
}

/** `hang: true` never answers (to exercise WeChat's timeout). */
export interface WebhookAnswer {
  status?: number;
  body?: string;
  hang?: boolean;
}

export type WebhookResponder = (push: RecordedPush, index: number) => WebhookAnswer;

export interface RecordingWebhook {
  url: string;
  pushes: RecordedPush[];
  /** Replace how the next pushes are answered. Default: 200 `success`. */
  respondWith(responder: WebhookResponder): void;
  close(): Promise<void>;
}

export async function startRecordingWebhook(): Promise<RecordingWebhook> {
  const pushes: RecordedPush[] = [];
  let responder: WebhookResponder = () => ({ body: 'success' });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = new URL(req.url ?? '/', 'http://webhook.test');
      const push: RecordedPush = {
        path: target.pathname,
        query: Object.fromEntries(target.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      pushes.push(push);
      const answer = responder(push, pushes.length - 1);
      if (answer.hang) return;
      res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/webhook`,
    pushes,
    respondWith(next) {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
