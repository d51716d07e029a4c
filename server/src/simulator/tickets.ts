import { randomBytes } from 'node:crypto';

/** A temporary parametric QR code, as WeChat remembers it. */
export interface SimulatedTicket {
  readonly ticket: string;
  /** The last path segment of `url`: what a phone opens after scanning the drawn code. */
  readonly code: string;
  /** scene_str, or scene_id as decimal text for QR_SCENE. */
  readonly sceneStr: string;
  readonly actionName: 'QR_SCENE' | 'QR_STR_SCENE';
  /** The content the QR image encodes: `${publicBaseUrl}/q/<code>`. */
  readonly url: string;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
}

export interface NewTicketInput {
  sceneStr: string;
  actionName: SimulatedTicket['actionName'];
  expireSeconds: number;
}

export type TicketLookup =
  | { kind: 'live'; ticket: SimulatedTicket }
  | { kind: 'expired'; ticket: SimulatedTicket }
  | { kind: 'unknown' };

export interface TicketRegistry {
  readonly byTicket: ReadonlyMap<string, SimulatedTicket>;
  create(input: NewTicketInput): SimulatedTicket;
  /** Accepts the ticket, its `url`, or any URL or path ending in `/q/<code>`. */
  find(ticketOrUrl: string): SimulatedTicket | undefined;
  lookup(ticketOrUrl: string): TicketLookup;
  /** Unexpired tickets, newest first. */
  live(): SimulatedTicket[];
}

/** Tickets that expired this long ago are forgotten (then unknown, like WeChat's 404). */
const EXPIRED_TICKET_MEMORY_MS = 24 * 60 * 60 * 1000;
const CODE_IN_URL = /\/q\/([A-Za-z0-9_-]+)\/?(?:[?#].*)?$/;

/**
 * A ticket looks like WeChat's: base64 with '+', '/' and '=' (so a client that forgets to
 * URL-encode it for showqrcode breaks here as it would there).
 */
function newTicketValue(): string {
  return `gQ${randomBytes(61).toString('base64')}`;
}

export function createTicketRegistry(now: () => number, publicBaseUrl: () => string): TicketRegistry {
  const byTicket = new Map<string, SimulatedTicket>();
  const byCode = new Map<string, SimulatedTicket>();

  function forgetLongExpired(nowMs: number): void {
    for (const entry of byTicket.values()) {
      if (entry.expiresAtMs + EXPIRED_TICKET_MEMORY_MS < nowMs) {
        byTicket.delete(entry.ticket);
        byCode.delete(entry.code);
      }
    }
  }

  function find(ticketOrUrl: string): SimulatedTicket | undefined {
    const exact = byTicket.get(ticketOrUrl);
    if (exact) return exact;
    const codeMatch = CODE_IN_URL.exec(ticketOrUrl);
    if (codeMatch?.[1]) return byCode.get(codeMatch[1]);
    try {
      return byTicket.get(decodeURIComponent(ticketOrUrl));
    } catch {
      return undefined; // not valid percent-encoding: not a ticket either
    }
  }

  return {
    byTicket,
    create({ sceneStr, actionName, expireSeconds }) {
      const nowMs = now();
      forgetLongExpired(nowMs);
      const code = randomBytes(16).toString('base64url').slice(0, 22);
      const ticket: SimulatedTicket = {
        ticket: newTicketValue(),
        code,
        sceneStr,
        actionName,
        url: `${publicBaseUrl()}/q/${code}`,
        createdAtMs: nowMs,
        expiresAtMs: nowMs + expireSeconds * 1000,
      };
      byTicket.set(ticket.ticket, ticket);
      byCode.set(code, ticket);
      return ticket;
    },
    find,
    lookup(ticketOrUrl) {
      const ticket = find(ticketOrUrl);
      if (!ticket) return { kind: 'unknown' };
      return now() >= ticket.expiresAtMs ? { kind: 'expired', ticket } : { kind: 'live', ticket };
    },
    live() {
      const nowMs = now();
      return [...byTicket.values()].filter((entry) => entry.expiresAtMs > nowMs).sort((a, b) => b.createdAtMs - a.createdAtMs);
    },
  };
}
