/** The content codings this server ever sends, in its order of preference: brotli is smaller at the same cost. */
export type ContentCoding = 'br' | 'gzip';
export type ChosenCoding = ContentCoding | 'identity';

export const SERVER_PREFERENCE: readonly ContentCoding[] = ['br', 'gzip'];

/** `1`, `0.5`, `0.000`: at most three decimals, never above 1 (RFC 9110 §12.4.2). */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Which coding to answer with, from the request's `Accept-Encoding` and the codings on offer
 * (RFC 9110 §12.5.3): the highest q-value wins, ties go to brotli, then gzip, then identity.
 *
 * - No header at all: identity. The RFC would allow anything, but clients that decode (browsers,
 *   fetch, curl --compressed) always send the header, and a client that sends none may be one that
 *   cannot decode.
 * - `*` stands for every coding the header does not name, identity included.
 * - Identity, when neither named nor covered by `*`, weighs as the lowest positive q-value listed:
 *   `br;q=0.5` is a yes to brotli, not a preference for identity (as the `negotiator` package reads it).
 * - A coding named twice counts with its lowest q-value: a `;q=0` anywhere is a refusal we keep.
 * - An entry whose q-value does not parse is ignored, never read as a yes.
 * - `identity;q=0` with nothing else acceptable still gets identity: sending the bytes as they are
 *   is more use to a confused client than a 406, and never sends a coding it did not ask for.
 */
export function negotiateContentEncoding(header: string | undefined, available: readonly ContentCoding[]): ChosenCoding {
  if (header === undefined) return 'identity';
  const weights = parseAcceptEncoding(header);
  const implicitIdentityWeight = Math.min(1, ...[...weights.values()].filter((weight) => weight > 0));
  const weightOf = (coding: string) => weights.get(coding) ?? weights.get('*') ?? (coding === 'identity' ? implicitIdentityWeight : 0);

  let chosen: ChosenCoding = 'identity';
  let chosenWeight = weightOf('identity');
  for (const coding of SERVER_PREFERENCE) {
    if (!available.includes(coding)) continue;
    const weight = weightOf(coding);
    // Strictly greater for identity's sake (it is the fallback), but br, being first, wins ties with gzip.
    if (weight > 0 && (weight > chosenWeight || (chosen === 'identity' && weight === chosenWeight))) {
      chosen = coding;
      chosenWeight = weight;
    }
  }
  return chosen;
}

/** Coding (lower-cased, `x-gzip` read as `gzip`) → q-value, for the entries that parse. */
function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const entry of header.split(',')) {
    const [rawCoding = '', ...parameters] = entry.split(';');
    const coding = normaliseCoding(rawCoding.trim().toLowerCase());
    if (coding === '') continue;
    const weight = qValueOf(parameters);
    if (weight === undefined) continue;
    weights.set(coding, Math.min(weight, weights.get(coding) ?? 1));
  }
  return weights;
}

function normaliseCoding(coding: string): string {
  return coding === 'x-gzip' ? 'gzip' : coding;
}

function qValueOf(parameters: string[]): number | undefined {
  let weight = 1;
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=').map((part) => part.trim());
    if (name.toLowerCase() !== 'q') continue;
    if (!QVALUE.test(value)) return undefined;
    weight = Number(value);
  }
  return weight;
}
