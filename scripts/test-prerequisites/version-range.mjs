// @ts-check
/**
 * Just enough of npm's version ranges to read `engines` fields ("^22.22.2 || ^24.15.0 || >=26.0.0"):
 * `||` between alternatives, spaces between comparators, `^ ~ >= > <= < =` and bare or partial
 * versions. Plain Node with no dependencies, because it runs before anything else is trusted.
 */

/** @typedef {[number, number, number]} Version */

/**
 * "22.22.2", "v20.20.2", "24", "1.24rc1" -> [major, minor, patch]; a pre-release tag is ignored.
 * @param {string} text
 * @returns {Version}
 */
export function parseVersion(text) {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text.trim());
  if (!match) throw new Error(`not a version: "${text}"`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/**
 * @param {Version} a
 * @param {Version} b
 * @returns {number} negative, zero or positive as a is older, equal or newer
 */
export function compareVersions(a, b) {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * The exclusive upper bound of a caret range: the next version that changes the leftmost
 * non-zero part that was given ("^22.22.2" < 23.0.0, "^0.3.1" < 0.4.0).
 * @param {Version} base
 * @param {number} givenParts how many parts the range wrote (1 for "^22")
 * @returns {Version}
 */
function caretCeiling(base, givenParts) {
  if (base[0] > 0 || givenParts === 1) return [base[0] + 1, 0, 0];
  if (base[1] > 0 || givenParts === 2) return [0, base[1] + 1, 0];
  return [0, 0, base[2] + 1];
}

/** @typedef {{ operator: string, base: Version, givenParts: number }} Comparator */

/**
 * @param {string} text one of "^22.22.2", "~1.2", ">=26.0.0", "<27", "20.1.0"
 * @returns {Comparator}
 */
function parseComparator(text) {
  const match = /^(\^|~|>=|<=|>|<|=)?(v?\d+(?:\.\d+){0,2})$/.exec(text);
  if (!match) throw new Error(`unsupported version range part: "${text}"`);
  const versionText = /** @type {string} */ (match[2]);
  return { operator: match[1] ?? '=', base: parseVersion(versionText), givenParts: versionText.split('.').length };
}

/**
 * @param {Version} version
 * @param {Comparator} comparator
 * @returns {boolean}
 */
function satisfiesComparator(version, { operator, base, givenParts }) {
  const order = compareVersions(version, base);
  switch (operator) {
    case '>=':
      return order >= 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    case '<':
      return order < 0;
    case '^':
      return order >= 0 && compareVersions(version, caretCeiling(base, givenParts)) < 0;
    case '~':
      return order >= 0 && compareVersions(version, givenParts === 1 ? [base[0] + 1, 0, 0] : [base[0], base[1] + 1, 0]) < 0;
    default:
      // "=20" or "20": a partial version matches every version that starts with it.
      return version.slice(0, givenParts).every((part, index) => part === base[index]);
  }
}

/**
 * Whether `version` is in `range`. Throws on range syntax this subset does not read (hyphen
 * ranges, x-ranges), so a caller can say it could not tell instead of guessing.
 * @param {string} version
 * @param {string} range
 * @returns {boolean}
 */
export function satisfiesRange(version, range) {
  const parsed = parseVersion(version);
  const alternatives = range.split('||').map((alternative) => {
    const parts = alternative.trim().replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1').split(/\s+/).filter(Boolean);
    if (parts.length === 0) throw new Error(`empty alternative in version range "${range}"`);
    return parts.map(parseComparator);
  });
  return alternatives.some((comparators) => comparators.every((comparator) => satisfiesComparator(parsed, comparator)));
}
