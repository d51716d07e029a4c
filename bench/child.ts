import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { IpcCaller, type ChildMessage, type IpcApi } from './ipc.js';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const STOP_GRACE_MS = 8_000;
const DEFAULT_READY_TIMEOUT_MS = 60_000;
const TAIL_LINES = 40;
const KEPT_WARNING_LINES = 2000;

/** Every child still alive, so a crash or Ctrl-C of the orchestrator leaves none behind. */
const running = new Set<ChildProcess>();

/** Last resort, synchronous: for process 'exit'. */
export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** What a child wrote: pino lines counted by level, the distinct warning messages, a tail for errors. */
export class ChildLog {
  warnings = 0;
  errors = 0;
  readonly messages = new Map<string, number>();
  readonly tail: string[] = [];
  /** The warn-and-above lines themselves (the first ones), for bench/results/logs/. */
  readonly kept: string[] = [];

  attach(stream: Readable): void {
    createInterface({ input: stream }).on('line', (line) => this.add(line));
  }

  private add(line: string): void {
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    let level = 0;
    let message = line;
    try {
      const parsed = JSON.parse(line) as { level?: number; msg?: string };
      level = parsed.level ?? 0;
      message = parsed.msg ?? line;
    } catch {
      level = 40; // not pino: a crash trace or a warning printed by Node itself
    }
    if (level >= 50) this.errors += 1;
    else if (level >= 40) this.warnings += 1;
    else return;
    if (this.kept.length < KEPT_WARNING_LINES) this.kept.push(line);
    this.messages.set(message, (this.messages.get(message) ?? 0) + 1);
  }
}

export interface ChildOptions {
  name: string;
  /** The TypeScript entry file, run with `node --import tsx`. */
  entry: string;
  env: Record<string, string>;
  readyTimeoutMs?: number;
}

/** One bench child process: started, answering IPC calls, stopped cleanly. */
export class BenchChild<Api extends IpcApi> {
  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly process: ChildProcess,
    private readonly caller: IpcCaller<Api>,
    readonly log: ChildLog,
  ) {}

  get pid(): number {
    return this.process.pid ?? -1;
  }

  call<M extends keyof Api & string>(method: M, ...args: Parameters<Api[M]>): Promise<Awaited<ReturnType<Api[M]>>> {
    return this.caller.call(method, ...args);
  }

  static async start<Api extends IpcApi>(options: ChildOptions): Promise<BenchChild<Api>> {
    const profileDir = process.env.BENCH_PROFILE_DIR;
    const child = fork(options.entry, [], {
      cwd: repoRoot,
      env: options.env,
      execArgv: ['--import', 'tsx', '--expose-gc', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}/${options.name.replace(/[^A-Za-z0-9_-]+/g, '_')}`] : [])],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    const log = new ChildLog();
    log.attach(child.stdout!);
    log.attach(child.stderr!);
    const caller = new IpcCaller<Api>((message) => child.send(message));
    child.once('exit', (code, signal) => caller.failAll(`${options.name} exited (${signal ?? code})`));

    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${options.name} did not start within ${options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS} ms`)), options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
      child.on('message', (raw: unknown) => {
        const message = raw as ChildMessage;
        if (message.kind === 'ready') {
          clearTimeout(timer);
          resolve(message.url);
        } else if (message.kind === 'reply') {
          caller.receive(message);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited during start-up (${signal ?? code}):\n${log.tail.join('\n')}`));
      });
    }).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    return new BenchChild(options.name, url, child, caller, log);
  }

  /** SIGTERM (the child closes its server and database connection), SIGKILL after a grace period. */
  async stop(): Promise<void> {
    const child = this.process;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}

/** The parent's environment reduced to what Node needs, so a developer's shell or .env cannot leak in. */
export function baseChildEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
