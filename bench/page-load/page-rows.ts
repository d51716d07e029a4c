import { kB, median, seconds } from '../stats.js';
import { row, type ResultRow } from '../scenario.js';
import type { ConfirmationFigures } from './confirmation-visit.js';
import { totalRoundTrips, type NetworkProfile } from './network-profile.js';
import type { PageKind } from './page-kinds.js';
import type { FirstAndWarm } from './sign-in-visits.js';
import type { VisitFigures } from './visit-figures.js';

/** Issue 14's targets for the sign-in page and the confirmation page. */
export const PAGE_TARGETS = { bytesBeforeUsable: 150_000, firstVisitMs: 2000, warmVisitMs: 1000, confirmationBytes: 20_000 } as const;

export interface KindRuns {
  kind: PageKind;
  visits: FirstAndWarm[];
}

function medianOf<T>(items: readonly T[], value: (item: T) => number): number {
  return median(items.map(value));
}

const range = (values: readonly number[], format: (value: number) => string) =>
  values.length > 1 ? `${format(Math.min(...values))}–${format(Math.max(...values))}` : format(values[0] ?? Number.NaN);

export function signInRows({ kind, visits }: KindRuns): ResultRow[] {
  const firstBytes = medianOf(visits, (visit) => visit.first.bytesBeforeUsable);
  const warmBytes = medianOf(visits, (visit) => visit.warm.bytesBeforeUsable);
  const firstMs = medianOf(visits, (visit) => visit.first.usableMs);
  const warmMs = medianOf(visits, (visit) => visit.warm.usableMs);
  const firstFloor = medianOf(visits, (visit) => visit.first.floorMs);
  const warmFloor = medianOf(visits, (visit) => visit.warm.floorMs);
  const label = `Sign-in page, ${kind.label}`;
  return [
    row(`${label}: bytes before usable, first visit (warm)`, `${kB(firstBytes)} (${kB(warmBytes)})`, {
      target: `≤ ${kB(PAGE_TARGETS.bytesBeforeUsable)}`,
      pass: firstBytes <= PAGE_TARGETS.bytesBeforeUsable,
    }),
    row(`${label}: time to usable, first / warm visit`, `${seconds(firstMs)} (floor ${seconds(firstFloor)}) / ${seconds(warmMs)} (floor ${seconds(warmFloor)})`, {
      target: `≤ ${seconds(PAGE_TARGETS.firstVisitMs)} / ≤ ${seconds(PAGE_TARGETS.warmVisitMs)}`,
      pass: firstMs <= PAGE_TARGETS.firstVisitMs && warmMs <= PAGE_TARGETS.warmVisitMs,
    }),
  ];
}

function describeRequests(figures: VisitFigures): string {
  const types = Object.entries(figures.requestsByType)
    .sort((a, b) => b[1] - a[1])
    .map(([type, count]) => `${count} ${type}`)
    .join(', ');
  const trips = figures.roundTrips;
  const encodings = Object.entries(figures.codeBytesByEncoding)
    .map(([encoding, bytes]) => `${kB(bytes)} ${encoding}`)
    .join(', ');
  return (
    `${types || 'none'} over the network, ${figures.fromCache} from the cache` +
    (encodings ? ` (scripts and styles: ${encodings})` : '') +
    (figures.openAtUsable.length ? `; still open at usable (bytes so far counted): ${figures.openAtUsable.join(', ')}` : '') +
    `; floor = ${totalRoundTrips(trips)} round trips (connect ${trips.connections}, document ${trips.documentHops}, scripts/styles ${trips.subresources}, API ${trips.apiCalls}, QR image ${trips.qrImage}) + bytes / downlink`
  );
}

export function signInNote({ kind, visits }: KindRuns): string {
  const first = visits.map((visit) => visit.first);
  const warm = visits.map((visit) => visit.warm);
  const typical = (list: VisitFigures[]) => list[Math.floor((list.length - 1) / 2)]!;
  const detail = [...new Set([...first, ...warm].map((visit) => visit.usableDetail))].join(', ');
  return (
    `Sign-in page, ${kind.label} (${kind.usableSign === 'one-tap' ? 'usable = the one-tap button shown' : 'usable = the QR code drawn'}; seen: ${detail}), ${visits.length} runs: ` +
    `first visit ${range(first.map((visit) => visit.usableMs), seconds)}, ${range(first.map((visit) => visit.bytesBeforeUsable), kB)}; ` +
    `warm ${range(warm.map((visit) => visit.usableMs), seconds)}, ${range(warm.map((visit) => visit.bytesBeforeUsable), kB)}. ` +
    `First visit: ${describeRequests(typical(first))}. Warm: ${describeRequests(typical(warm))}.`
  );
}

export function confirmationRows(visits: readonly ConfirmationFigures[]): ResultRow[] {
  const bytes = medianOf(visits, (visit) => visit.page.bytes);
  const pageMs = medianOf(visits, (visit) => visit.page.ms);
  const pageFloor = medianOf(visits, (visit) => visit.page.floorMs);
  const chainMs = medianOf(visits, (visit) => visit.chain.ms);
  const chainFloor = medianOf(visits, (visit) => visit.chain.floorMs);
  const subresources = Math.max(...visits.map((visit) => visit.subresources.length));
  const pageTrips = Math.max(...visits.map((visit) => totalRoundTrips(visit.page.roundTrips)));
  const asked = visits.every((visit) => visit.asksTheQuestion);
  const redirects = visits[0]?.chain.redirects ?? [];
  return [
    row('Confirmation page inside WeChat: bytes, subresources', `${kB(bytes)}, ${subresources === 0 ? 'none' : subresources}`, {
      target: `< ${kB(PAGE_TARGETS.confirmationBytes)}, none`,
      pass: bytes < PAGE_TARGETS.confirmationBytes && subresources === 0 && asked,
    }),
    row('Confirmation page inside WeChat: time once the redirects are done', `${seconds(pageMs)} (floor ${seconds(pageFloor)}), ${pageTrips} round trip${pageTrips === 1 ? '' : 's'}`, {
      target: '1 round trip (the document alone)',
      pass: pageTrips === 1 && subresources === 0 && asked,
    }),
    row(
      'Confirmation link → question page (opener check): redirects, time',
      `${redirects.length} redirect${redirects.length === 1 ? '' : 's'}, ${seconds(chainMs)} (floor ${seconds(chainFloor)})`,
      { target: 'reported' },
    ),
  ];
}

export function confirmationNote(visits: readonly ConfirmationFigures[], profile: NetworkProfile, serverHost: string): string {
  const sample = visits[0];
  if (!sample) return 'Confirmation page: no visit.';
  const hops = sample.chain.redirects.map((hop) => `${hop.status} from ${hop.host === serverHost ? 'the server' : `WeChat (the simulator, ${hop.host})`}`).join(' → ');
  const favicon = visits.map((visit) => visit.faviconBytes).find((bytes) => bytes !== null);
  return (
    `Confirmation page, ${visits.length} runs: each a fresh QR code (get-qrcode as a desktop browser), scanned by a new WeChat user on the simulator, ` +
    `whose reply's link is opened in WeChat's in-app browser (phone, ${profile.name}) of that user. The opener check is on, as deployed by default ` +
    `(WECHAT_MP_CONFIRM_VERIFY_OPENER): the link passes through WeChat's silent authorization (the simulator's) before the page asks, so the ` +
    `page alone (its final document, over the connection already open) and the whole way from the link (${hops} → the page) are reported apart. ` +
    `Page ${range(visits.map((visit) => visit.page.bytes), kB)}, ${range(visits.map((visit) => visit.page.ms), seconds)}; whole way ` +
    `${range(visits.map((visit) => visit.chain.ms), seconds)}, ${range(visits.map((visit) => visit.chain.bytes), kB)}, floor counts ` +
    `${totalRoundTrips(sample.chain.roundTrips)} round trips (${sample.chain.roundTrips.documentHops} hops, ${sample.chain.roundTrips.connections} new connections). ` +
    `The server's exchange of the code with WeChat is server-to-server, off the phone's link. Every visit showed the question: ${visits.every((visit) => visit.asksTheQuestion) ? 'yes' : 'NO'}. ` +
    `Subresources: ${visits.flatMap((visit) => visit.subresources).join(', ') || 'none'}. ` +
    (favicon !== undefined
      ? `Chromium also asked for /favicon.ico after the page (${kB(favicon)}; it does for any page without an icon link, WeChat's in-app browser shows none): not counted.`
      : 'No /favicon.ico request.')
  );
}
