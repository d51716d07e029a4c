import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ADMIN_APPLICATIONS_PATH, API_V1_PATH, type ApplicationWithSecret, type CreateApplicationInput, type SuccessBody } from '@wechat-login/shared';
import { freeLoopbackPort } from './free-port';
import { ARTIFACTS_DIR, REPO_ROOT } from './paths';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './server';

/** The example relying party (examples/oidc-rp) and the applications it signs in as, for the OIDC browser tests. */

const EXAMPLE_ENTRY = join(REPO_ROOT, 'examples/oidc-rp/server.js');
const STARTUP_TIMEOUT_MS = 15_000;
const POLL_MS = 100;

export interface RunningExample {
  baseUrl: string;
  stop(): Promise<void>;
}

/** A free port for an example app, known before it is registered (its redirect URIs name it). */
export const examplePort = freeLoopbackPort;

async function waitUntilServing(baseUrl: string, child: ChildProcess, logName: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the example app exited with code ${child.exitCode}; see ${ARTIFACTS_DIR}/${logName}`);
    if (await fetch(baseUrl).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`the example app did not answer within ${STARTUP_TIMEOUT_MS / 1000} s; see ${ARTIFACTS_DIR}/${logName}`);
}

/** Starts examples/oidc-rp as `npm run example` would, configured by the same environment variables. */
export async function startExample(options: { issuer: string; port: number; clientId: string; clientSecret?: string | null; name: string }): Promise<RunningExample> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const logName = `example-${options.name}.log`;
  const log = createWriteStream(join(ARTIFACTS_DIR, logName));
  const child = spawn(process.execPath, [EXAMPLE_ENTRY], {
    cwd: join(REPO_ROOT, 'examples/oidc-rp'),
    env: { ...process.env, OIDC_ISSUER: options.issuer, OIDC_CLIENT_ID: options.clientId, OIDC_CLIENT_SECRET: options.clientSecret ?? '', EXAMPLE_PORT: String(options.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const baseUrl = `http://localhost:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM'));
    log.end();
  };
  try {
    await waitUntilServing(baseUrl, child, logName);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}

/** The admin's session cookie, from a password sign-in, for the admin API. */
export async function adminCookie(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/username`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD }),
  });
  if (!response.ok) throw new Error(`admin sign-in failed: HTTP ${response.status} ${await response.text()}`);
  return response.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
}

export interface RegisteredApplication {
  clientId: string;
  clientSecret: string | null;
}

/**
 * Registers the example app at `exampleBaseUrl` through the admin API, as an admin does on the
 * Applications page. Its http://localhost redirect URIs make it a native app: the provider allows
 * http redirects to native apps on the exact loopback hosts only (web apps need https).
 */
export async function registerExample(
  baseUrl: string,
  cookie: string,
  options: { exampleBaseUrl: string } & Pick<CreateApplicationInput, 'name' | 'type' | 'firstParty' | 'logoUrl'>,
): Promise<RegisteredApplication> {
  const { exampleBaseUrl, ...application } = options;
  const body: CreateApplicationInput = {
    ...application,
    redirectUris: [`${exampleBaseUrl}/callback`],
    postLogoutRedirectUris: [`${exampleBaseUrl}/`],
    scopes: ['openid', 'profile', 'wechat'],
  };
  const response = await fetch(`${baseUrl}${API_V1_PATH}${ADMIN_APPLICATIONS_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl, cookie },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`registering ${options.name} failed: HTTP ${response.status} ${await response.text()}`);
  const { data } = (await response.json()) as SuccessBody<ApplicationWithSecret>;
  return { clientId: data.application.clientId, clientSecret: data.clientSecret };
}
