import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from './free-port';
import { ARTIFACTS_DIR, REPO_ROOT } from './paths';

/** The first start builds the embedded FerretDB with Go (about 40 s); later starts take seconds. */
const STARTUP_TIMEOUT_MS = 150_000;
const HEALTH_POLL_MS = 250;
const SHUTDOWN_TIMEOUT_MS = 15_000;

export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD = 'e2e-admin-password';

export interface RunningServer {
  baseUrl: string;
  stop(): Promise<void>;
}


/** Development mode on a fresh data folder: embedded database, WeChat simulator, a known admin. */
function serverEnvironment(port: number, dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    BETTER_AUTH_URL: `http://localhost:${port}`,
    ADMIN_USERNAME,
    ADMIN_PASSWORD,
    LOG_LEVEL: 'info',
    // Set (empty) so a developer's .env cannot point the test at a real database or a real Official Account.
    MONGODB_URI: '',
    WECHAT_MP_APPID: '',
    WECHAT_MP_SECRET: '',
    WECHAT_MP_TOKEN: '',
    WECHAT_MP_ENCODING_AES_KEY: '',
    TRUSTED_ORIGINS: '',
    // Every browser of the suite is one address (127.0.0.1), and no test here is about a 429: the per-IP
    // limits are off. Only names from server/src/config/env-schema.ts count; the server ignores any other.
    RATE_LIMIT_ENABLED: 'false',
  };
}

async function waitUntilHealthy(baseUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}; see ${ARTIFACTS_DIR}/server.log`);
    const healthy = await fetch(`${baseUrl}/healthz`).then((response) => response.ok, () => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
  throw new Error(`the server was not healthy within ${STARTUP_TIMEOUT_MS / 1000} s; see ${ARTIFACTS_DIR}/server.log`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts the built server (`server/dist/main.js`) as a child process; its JSON log goes to test-artifacts/e2e. */
export async function startServer(): Promise<RunningServer> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'wechat-login-e2e-'));
  const port = await freeLoopbackPort();
  const baseUrl = `http://localhost:${port}`;
  const log = createWriteStream(join(ARTIFACTS_DIR, 'server.log'));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'server/dist/main.js')], {
    cwd: REPO_ROOT,
    env: serverEnvironment(port, dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const stop = async () => {
    await stopChild(child);
    log.end();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilHealthy(baseUrl, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}
