import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createWechatSimulator, type WechatSimulator } from './create-simulator.js';
import type { UrlSource, WechatSimulatorOptions } from './options.js';

/** The simulator on an HTTP server of its own, for tests and for running it next to the app. */

export interface WechatSimulatorServerOptions extends Omit<WechatSimulatorOptions, 'publicBaseUrl'> {
  /** Defaults to the server's own url. */
  publicBaseUrl?: UrlSource;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface RunningWechatSimulator {
  /** The base, e.g. http://127.0.0.1:41234 (WECHAT_MP_API_BASE for the app). */
  url: string;
  simulator: WechatSimulator;
  close(): Promise<void>;
}

export async function startWechatSimulatorServer(options: WechatSimulatorServerOptions): Promise<RunningWechatSimulator> {
  const { host = '127.0.0.1', port = 0, publicBaseUrl, ...simulatorOptions } = options;
  let url = '';
  const simulator = createWechatSimulator({ ...simulatorOptions, publicBaseUrl: publicBaseUrl ?? (() => url) });

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(simulator.router);

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url,
    simulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections (fetch keeps them) would hold close() open.
        server.closeAllConnections();
      }),
  };
}
