import type { CDPSession } from 'playwright-core';

/**
 * Every request a page makes, as the browser's network layer reports it over CDP (the `Network`
 * domain), with times on the wall clock so they compare with the moment the page became usable.
 */

/** One redirect answer on the way to a document. */
export interface RedirectHop {
  url: string;
  status: number;
  /** Headers (and any body) of the redirect answer, as transferred. */
  bytes: number;
  /** When the next request of the chain started, i.e. when this answer was in. */
  atMs: number;
  connectionReused: boolean;
}

export interface RequestRecord {
  requestId: string;
  /** The final URL, after redirects. */
  url: string;
  /** CDP's resource type: Document, Script, Stylesheet, Fetch, XHR, EventSource, Image, Font, Other… */
  resourceType: string;
  /** The first request of the chain. */
  startedAtMs: number;
  /** The request to the final URL (after the redirects). */
  finalRequestAtMs: number;
  redirects: RedirectHop[];
  servedFromCache: boolean;
  response?: { status: number; atMs: number; headerBytes: number; fromDiskCache: boolean; connectionReused: boolean; contentEncoding: string | null };
  /** Body chunks as they arrived (decoded sizes: CDP leaves the encoded size of a chunk at 0). */
  chunks: Array<{ atMs: number; bytes: number }>;
  /** Everything transferred for the final URL: headers and encoded body (0 from the cache). */
  finished?: { atMs: number; bytes: number };
  failed?: { atMs: number; errorText: string };
}

/** What was transferred for one request by `atMs`: redirects in by then, and the final answer so far. */
export function bytesBy(record: RequestRecord, atMs: number): number {
  const redirectBytes = record.redirects.filter((hop) => hop.atMs <= atMs).reduce((sum, hop) => sum + hop.bytes, 0);
  if (record.servedFromCache || record.response?.fromDiskCache) return redirectBytes;
  if (record.finished && record.finished.atMs <= atMs) return redirectBytes + record.finished.bytes;
  // Still arriving (the scan-events stream never ends): the headers and the chunks in so far.
  if (!record.response || record.response.atMs > atMs) return redirectBytes;
  return redirectBytes + record.response.headerBytes + record.chunks.filter((chunk) => chunk.atMs <= atMs).reduce((sum, chunk) => sum + chunk.bytes, 0);
}

/** A response header by name (CDP keeps the server's spelling, and HTTP names are case-insensitive). */
function headerValue(headers: Record<string, string> | undefined, name: string): string | null {
  const key = Object.keys(headers ?? {}).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? null : headers![key]!;
}

/** Whether any of the request went over the network (not a data: URL, not from the cache). */
export function wentOverNetwork(record: RequestRecord): boolean {
  return !record.url.startsWith('data:') && !record.servedFromCache && record.response?.fromDiskCache !== true;
}

/** The fields of CDP's Network events this ledger reads (see the DevTools protocol, Network domain). */
interface CdpResponse {
  status: number;
  headers?: Record<string, string>;
  encodedDataLength: number;
  fromDiskCache?: boolean;
  connectionReused: boolean;
}
type CdpNetworkEvent =
  | { method: 'Network.requestWillBeSent'; params: { requestId: string; timestamp: number; wallTime: number; type?: string; request: { url: string }; redirectResponse?: CdpResponse } }
  | { method: 'Network.requestServedFromCache'; params: { requestId: string } }
  | { method: 'Network.responseReceived'; params: { requestId: string; timestamp: number; response: CdpResponse } }
  | { method: 'Network.dataReceived'; params: { requestId: string; timestamp: number; dataLength: number } }
  | { method: 'Network.loadingFinished'; params: { requestId: string; timestamp: number; encodedDataLength: number } }
  | { method: 'Network.loadingFailed'; params: { requestId: string; timestamp: number; errorText: string } };

/** Records the page's requests from construction (after `Network.enable`) until `detach()`. */
export class NetworkLedger {
  private readonly records = new Map<string, RequestRecord>();
  /** CDP stamps events with a monotonic clock; a request's start also carries the wall time. */
  private wallMinusMonotonicMs: number | null = null;
  private readonly listener = (event: { method: string; params?: unknown }) => this.receive(event as CdpNetworkEvent);

  constructor(private readonly session: CDPSession) {
    session.on('event', this.listener);
  }

  /** Every request seen, in the order they started. */
  get requests(): RequestRecord[] {
    return [...this.records.values()].sort((a, b) => a.startedAtMs - b.startedAtMs);
  }

  /** Requests neither finished nor failed, long-lived streams aside. */
  inFlight(isStream: (record: RequestRecord) => boolean): RequestRecord[] {
    return this.requests.filter((record) => !record.finished && !record.failed && !isStream(record));
  }

  detach(): void {
    this.session.off('event', this.listener);
  }

  private wallMs(monotonicSeconds: number): number {
    return monotonicSeconds * 1000 + (this.wallMinusMonotonicMs ?? 0);
  }

  private receive(event: CdpNetworkEvent): void {
    switch (event.method) {
      case 'Network.requestWillBeSent':
        return this.requestStarted(event.params);
      case 'Network.requestServedFromCache': {
        const record = this.records.get(event.params.requestId);
        if (record) record.servedFromCache = true;
        return;
      }
      case 'Network.responseReceived': {
        const { requestId, timestamp, response } = event.params;
        const record = this.records.get(requestId);
        if (!record) return;
        record.response = {
          status: response.status,
          atMs: this.wallMs(timestamp),
          headerBytes: response.encodedDataLength,
          fromDiskCache: response.fromDiskCache === true,
          connectionReused: response.connectionReused,
          contentEncoding: headerValue(response.headers, 'content-encoding'),
        };
        return;
      }
      case 'Network.dataReceived':
        this.records.get(event.params.requestId)?.chunks.push({ atMs: this.wallMs(event.params.timestamp), bytes: event.params.dataLength });
        return;
      case 'Network.loadingFinished': {
        const record = this.records.get(event.params.requestId);
        if (record) record.finished = { atMs: this.wallMs(event.params.timestamp), bytes: event.params.encodedDataLength };
        return;
      }
      case 'Network.loadingFailed': {
        const record = this.records.get(event.params.requestId);
        if (record) record.failed = { atMs: this.wallMs(event.params.timestamp), errorText: event.params.errorText };
        return;
      }
      default:
        return;
    }
  }

  private requestStarted(event: Extract<CdpNetworkEvent, { method: 'Network.requestWillBeSent' }>['params']): void {
    this.wallMinusMonotonicMs ??= event.wallTime * 1000 - event.timestamp * 1000;
    const atMs = this.wallMs(event.timestamp);
    const existing = this.records.get(event.requestId);
    // A redirect: the same request id goes on to the next URL.
    if (existing && event.redirectResponse) {
      existing.redirects.push({
        url: existing.url,
        status: event.redirectResponse.status,
        bytes: event.redirectResponse.encodedDataLength,
        atMs,
        connectionReused: event.redirectResponse.connectionReused,
      });
      existing.url = event.request.url;
      existing.finalRequestAtMs = atMs;
      return;
    }
    this.records.set(event.requestId, {
      requestId: event.requestId,
      url: event.request.url,
      resourceType: event.type ?? 'Other',
      startedAtMs: atMs,
      finalRequestAtMs: atMs,
      redirects: [],
      servedFromCache: false,
      chunks: [],
    });
  }
}
