import { bytesBy, wentOverNetwork, type RequestRecord } from './network-ledger.js';
import { floorMs, type NetworkProfile, type RoundTrips } from './network-profile.js';
import type { UsableMoment } from './usable-probe.js';

/** One page load, up to the moment it was usable. */
export interface VisitFigures {
  /** From the navigation's start to the usable moment. */
  usableMs: number;
  usableDetail: UsableMoment['detail'];
  /** Transferred (headers and encoded bodies, redirects included) by the usable moment. */
  bytesBeforeUsable: number;
  /** Requests that went over the network and started by then, by CDP resource type. */
  requestsByType: Record<string, number>;
  /** Requests answered from the browser's cache by then. */
  fromCache: number;
  /** Bytes of the scripts and styles by the Content-Encoding they came with ('identity' when none). */
  codeBytesByEncoding: Record<string, number>;
  /** Requests still open at the usable moment whose bytes so far are counted (the scan-events stream). */
  openAtUsable: string[];
  roundTrips: RoundTrips;
  floorMs: number;
}

// Images are left out: the only one the sign waits for is the QR code's, counted on its own.
const SUBRESOURCE_TYPES = new Set(['Script', 'Stylesheet', 'Font']);
const API_TYPES = new Set(['Fetch', 'XHR']);

/** The scan-events stream stays open while the code is shown: it never finishes loading. */
export function isEventStream(record: RequestRecord): boolean {
  return record.resourceType === 'EventSource';
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * The round trips the floor counts, from what the visit fetched before it was usable (see RoundTrips):
 * the connection on a first visit (a new visitor has none open; Chromium may reuse one an earlier
 * browser context left, which a phone could not) and on a later one only if the document opened one;
 * the scan-events stream not at all (the page does not wait for it); the QR image only when it came
 * from the server.
 */
function roundTripsOf(network: RequestRecord[], document: RequestRecord | undefined, usable: UsableMoment, firstVisit: boolean): RoundTrips {
  const opensConnection = firstVisit || !document?.response || !document.response.connectionReused;
  return {
    connections: opensConnection ? 1 : 0,
    documentHops: document && wentOverNetwork(document) ? 1 + document.redirects.length : 0,
    subresources: network.some((record) => SUBRESOURCE_TYPES.has(record.resourceType)) ? 1 : 0,
    apiCalls: network.some((record) => API_TYPES.has(record.resourceType)) ? 1 : 0,
    qrImage: usable.detail === 'qr-image' ? 1 : 0,
  };
}

/** Chromium's own request for the tab icon, named apart from the page's requests in the notes. */
function requestLabel(record: RequestRecord): string {
  return pathOf(record.url) === '/favicon.ico' ? 'favicon' : record.resourceType;
}

export function visitFigures(requests: readonly RequestRecord[], usable: UsableMoment, options: { profile: NetworkProfile; firstVisit: boolean }): VisitFigures {
  const started = requests.filter((record) => !record.url.startsWith('data:') && record.startedAtMs <= usable.atEpochMs);
  const network = started.filter(wentOverNetwork);
  const document = started.find((record) => record.resourceType === 'Document');
  const bytesBeforeUsable = started.reduce((sum, record) => sum + bytesBy(record, usable.atEpochMs), 0);
  const requestsByType: Record<string, number> = {};
  for (const record of network) requestsByType[requestLabel(record)] = (requestsByType[requestLabel(record)] ?? 0) + 1;
  const roundTrips = roundTripsOf(network, document, usable, options.firstVisit);
  const codeBytesByEncoding: Record<string, number> = {};
  for (const record of network.filter((candidate) => SUBRESOURCE_TYPES.has(candidate.resourceType))) {
    const encoding = record.response?.contentEncoding ?? 'identity';
    codeBytesByEncoding[encoding] = (codeBytesByEncoding[encoding] ?? 0) + bytesBy(record, usable.atEpochMs);
  }
  return {
    usableMs: usable.sinceNavigationMs,
    usableDetail: usable.detail,
    bytesBeforeUsable,
    requestsByType,
    fromCache: started.length - network.length,
    codeBytesByEncoding,
    openAtUsable: network.filter((record) => !(record.finished && record.finished.atMs <= usable.atEpochMs) && !record.failed).map((record) => pathOf(record.url)),
    roundTrips,
    floorMs: floorMs(options.profile, roundTrips, bytesBeforeUsable),
  };
}
