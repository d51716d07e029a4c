import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchSettings } from './settings.js';
import type { ResultRow } from './scenario.js';

export interface Report {
  startedAt: Date;
  durationSeconds: number;
  databaseDescription: string;
  /** The commit (and uncommitted files) the servers ran, read at the start and the end of the run. */
  codeAtStart: string;
  codeAtEnd: string;
  settings: BenchSettings;
  rows: ResultRow[];
  notes: string[];
  /** Warnings and errors the server processes logged, by message. */
  serverLogs: string[];
  failures: string[];
}

export function machineLines(databaseDescription: string): string[] {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return [
    `- CPU: ${cpu}, ${availableParallelism()} cores available; ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM; ${platform()} ${release()}`,
    `- Node.js ${process.version}; database: ${databaseDescription}`,
  ];
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

export function resultsTable(rows: ResultRow[]): string {
  const lines = ['| Figure | Value | vs bare Express | Target | Result |', '|---|---|---|---|---|'];
  for (const entry of rows) {
    lines.push(`| ${[entry.figure, entry.value, entry.ratio, entry.target, entry.verdict].map(escapeCell).join(' | ')} |`);
  }
  return lines.join('\n');
}

export function renderReport(report: Report): string {
  const failed = report.rows.filter((entry) => entry.verdict === 'FAIL').length;
  const passed = report.rows.filter((entry) => entry.verdict === 'pass').length;
  return [
    `# Benchmark results${report.settings.quick ? ' (BENCH_QUICK: smoke run, figures not comparable)' : ''}`,
    '',
    `\`npm run bench\`, ${report.startedAt.toISOString()}, ${report.durationSeconds.toFixed(0)} s. All processes on one machine, over loopback:`,
    ...machineLines(report.databaseDescription),
    `- Code: ${report.codeAtStart}${report.codeAtEnd === report.codeAtStart ? '' : ` — CHANGED during the run, now: ${report.codeAtEnd} (figures mix versions)`}`,
    '- Servers: separate processes as in production (NODE_ENV=production, LOG_LEVEL=warn, per-IP rate limits off), run from TypeScript by tsx; ' +
      'one database server, a fresh database per scenario; WeChat is the simulator in a process of its own; load comes from the orchestrator process.',
    '',
    resultsTable(report.rows),
    '',
    `${passed} pass, ${failed} fail.`,
    ...(report.failures.length ? ['', '## Scenarios that did not finish', '', ...report.failures.map((failure) => `- ${failure}`)] : []),
    '',
    '## How each figure was measured',
    '',
    ...report.notes.map((note) => `- ${note}`),
    '',
    '## What the servers logged (warn and above)',
    '',
    ...(report.serverLogs.length ? report.serverLogs.map((line) => `- ${line}`) : ['- nothing']),
    '',
  ].join('\n');
}

/** Each child's warn-and-above lines, as evidence next to the report. */
export async function writeChildLogs(repoRoot: string, logs: Array<{ name: string; lines: string[] }>): Promise<string> {
  const folder = join(repoRoot, 'bench', 'results', 'logs');
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  for (const { name, lines } of logs) {
    if (lines.length) await writeFile(join(folder, `${name.replace(/[^A-Za-z0-9_-]+/g, '_')}.log`), `${lines.join('\n')}\n`);
  }
  return folder;
}

export async function writeReport(repoRoot: string, markdown: string, fileName = 'latest.md'): Promise<string> {
  const folder = join(repoRoot, 'bench', 'results');
  await mkdir(folder, { recursive: true });
  const path = join(folder, fileName);
  await writeFile(path, markdown);
  return path;
}
