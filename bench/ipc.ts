/**
 * Request/response over Node's IPC channel between the bench orchestrator and
 * its child processes (servers, the WeChat simulator). Each child declares its
 * API as an interface of async methods; the parent calls them by name.
 */

export type IpcApi = Record<string, (payload: never) => unknown>;

/** The one unsolicited message: the child is listening at `url`. */
export interface ReadyMessage {
  kind: 'ready';
  url: string;
}

interface CallMessage {
  kind: 'call';
  id: number;
  method: string;
  payload: unknown;
}

export interface ReplyMessage {
  kind: 'reply';
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export type ChildMessage = ReadyMessage | ReplyMessage;

function sendToParent(message: ChildMessage): void {
  if (!process.send) throw new Error('this module must run as a child process with an IPC channel');
  process.send(message);
}

/** Child side: tells the parent where we listen. */
export function announceReady(url: string): void {
  sendToParent({ kind: 'ready', url });
}

/** Child side: answers the parent's calls with `handlers`. */
export function serveIpc(handlers: Record<string, (payload: never) => unknown>): void {
  process.on('message', (raw: unknown) => {
    const message = raw as CallMessage;
    if (message?.kind !== 'call') return;
    const handler = handlers[message.method];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown IPC method ${message.method}`);
        return handler(message.payload as never);
      })
      .then(
        (result) => sendToParent({ kind: 'reply', id: message.id, ok: true, result }),
        (error: unknown) => sendToParent({ kind: 'reply', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
}

/** Parent side: a typed caller for one child's API. */
export class IpcCaller<Api extends IpcApi> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(private readonly send: (message: CallMessage) => void) {}

  call<M extends keyof Api & string>(method: M, ...args: Parameters<Api[M]>): Promise<Awaited<ReturnType<Api[M]>>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.send({ kind: 'call', id, method, payload: args[0] });
    });
  }

  /** Feed every reply from the child here. */
  receive(message: ReplyMessage): void {
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(message.error ?? 'IPC call failed'));
  }

  /** The child went away: every open call fails. */
  failAll(reason: string): void {
    for (const waiter of this.pending.values()) waiter.reject(new Error(reason));
    this.pending.clear();
  }
}
