// @ts-check
/**
 * The budget check's verdict and the table it prints, kept apart from the measuring so both can be tested
 * on made-up numbers.
 */

/** @typedef {import('./first-load.mjs').Sizes} Sizes */
/** @typedef {{ path: string, files: Array<{ file: string } & Sizes>, total: Sizes }} PageMeasurement */

/** @param {number} bytes */
export function kilobytes(bytes) {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

/**
 * @param {PageMeasurement[]} pages
 * @returns {string}
 */
export function formatPageTable(pages) {
  const rows = pages.map(({ path, total }) => [path, kilobytes(total.raw), kilobytes(total.gzip), kilobytes(total.brotli)]);
  const header = ['first load of', 'raw', 'gzip', 'brotli'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  return [header, ...rows].map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')).join('\n');
}

/**
 * Whether the page's brotli total fits the budget; when it does not, the message names the largest files,
 * which is where to look.
 * @param {PageMeasurement} page
 * @param {number} budgetBytes
 * @returns {{ ok: boolean, message: string }}
 */
export function budgetVerdict(page, budgetBytes) {
  const summary = `${page.path} downloads ${kilobytes(page.total.brotli)} (brotli) of JS and CSS before it shows anything; its budget is ${kilobytes(budgetBytes)}.`;
  if (page.total.brotli <= budgetBytes) return { ok: true, message: summary };
  const largest = [...page.files]
    .sort((a, b) => b.brotli - a.brotli)
    .slice(0, 5)
    .map((file) => `  ${kilobytes(file.brotli).padStart(9)}  ${file.file}`);
  return {
    ok: false,
    message: [
      `${summary} Over by ${kilobytes(page.total.brotli - budgetBytes)}. Its largest files:`,
      ...largest,
      'Was Element Plus installed whole again (app.use(ElementPlus), element-plus/dist/index.css), or did a component of it reach the sign-in page?',
    ].join('\n'),
  };
}
