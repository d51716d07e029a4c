import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface AppPort {
  /** http://127.0.0.1:<port>, known before the app exists (its public URL goes into its own config). */
  url: string;
  /** Starts answering with `handler` (until then requests wait unanswered). */
  serve(handler: Handler): void;
  close(): Promise<void>;
}

/**
 * A listening port for an app that is built afterwards: confirmation links, WeChat's way back from its
 * authorization page and the OIDC provider's own JWKS fetch all need the public URL in the config.
 */
export async function listenForApp(): Promise<AppPort> {
  let handler: Handler | undefined;
  const server: Server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve: (next) => {
      handler = next;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
