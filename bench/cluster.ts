import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { ServerProcessApi } from './server-process.js';
import type { SimulatorProcessApi } from './simulator-process.js';
import { BenchChild, baseChildEnv } from './child.js';
import type { IpcApi } from './ipc.js';
import type { ProcessUsage } from './process-usage.js';
import { BENCH_WECHAT, type PushMode } from './wechat-account.js';

export type ServerHandle = BenchChild<ServerProcessApi>;
export type SimulatorHandle = BenchChild<SimulatorProcessApi>;
export type BareHandle = BenchChild<IpcApi & { usage(options: { collectGarbage: boolean }): ProcessUsage }>;

const entry = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export interface ServerSpec {
  name: string;
  /** Full connection string including the database name. */
  mongodbUri: string;
  /** plain: no EncodingAESKey (plaintext pushes only); safe: the key is set (encrypted pushes only). */
  mode: PushMode;
  /** Serve the built admin UI (admin-ui/dist) as main.ts does; the API-only scenarios leave it off. */
  serveSpa?: boolean;
  /**
   * Listen on this port and make `http://127.0.0.1:<port>` the public URL (BETTER_AUTH_URL): the links the
   * server hands a browser (the confirmation link, web authorization's way back) must reach it. Unset: a free
   * port, and a public URL no request follows.
   */
  publicPort?: number;
}

/**
 * Starts and stops every child process of a run, and stops whatever is
 * still running when the run ends, however it ends.
 */
export class Cluster {
  private readonly children = new Set<BenchChild<IpcApi>>();
  private readonly authSecret = randomBytes(32).toString('base64url');

  constructor(private readonly dataDir: string) {}

  async startSimulator(): Promise<SimulatorHandle> {
    return this.track(await BenchChild.start<SimulatorProcessApi>({ name: 'wechat-simulator', entry: entry('./simulator-process.ts'), env: baseChildEnv() }));
  }

  /** The reference Express process; `mongodbUri` (with the database name) for its findOne endpoint. */
  async startBare(mongodbUri: string): Promise<BareHandle> {
    return this.track(
      await BenchChild.start({ name: 'bare-express', entry: entry('./bare-process.ts'), env: { ...baseChildEnv(), NODE_ENV: 'production', MONGODB_URI: mongodbUri } }),
    );
  }

  /** Server processes as production runs them, in parallel. */
  async startServers(specs: ServerSpec[], simulatorUrl: string): Promise<ServerHandle[]> {
    return Promise.all(
      specs.map(async (spec) =>
        this.track(await BenchChild.start<ServerProcessApi>({ name: spec.name, entry: entry('./server-process.ts'), env: this.serverEnv(spec, simulatorUrl) })),
      ),
    );
  }

  async stop(child: BenchChild<IpcApi>): Promise<void> {
    this.children.delete(child);
    await child.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((child) => this.stop(child)));
  }

  /** Every child ever started, for the log summary. */
  readonly started: BenchChild<IpcApi>[] = [];

  private track<T extends BenchChild<IpcApi>>(child: T): T {
    this.children.add(child);
    this.started.push(child);
    return child;
  }

  private serverEnv(spec: ServerSpec, simulatorUrl: string): Record<string, string> {
    return {
      ...baseChildEnv(),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      // Without a public port, PORT is unused: server-process.ts listens on a free port.
      PORT: String(spec.publicPort ?? 3000),
      ...(spec.publicPort === undefined ? {} : { BENCH_LISTEN_ON_PORT: '1' }),
      ...(spec.serveSpa ? { BENCH_SERVE_SPA: '1' } : {}),
      DATA_DIR: this.dataDir,
      MONGODB_URI: spec.mongodbUri,
      BETTER_AUTH_SECRET: this.authSecret,
      BETTER_AUTH_URL: `http://127.0.0.1:${spec.publicPort ?? 3000}`,
      // Per-IP limits (all from one loopback address here) would answer 429 within a second.
      RATE_LIMIT_ENABLED: 'false',
      WECHAT_MP_APPID: BENCH_WECHAT.appId,
      WECHAT_MP_SECRET: BENCH_WECHAT.appSecret,
      WECHAT_MP_TOKEN: BENCH_WECHAT.token,
      ...(spec.mode === 'safe' ? { WECHAT_MP_ENCODING_AES_KEY: BENCH_WECHAT.encodingAESKey } : {}),
      WECHAT_MP_API_BASE: simulatorUrl,
      // WeChat's authorization page (网页授权) is the simulator's too, as the API is.
      WECHAT_MP_OAUTH_BASE: simulatorUrl,
    };
  }
}
