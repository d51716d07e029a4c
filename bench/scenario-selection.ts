/**
 * Which scenarios a run measures: all of them, or those named by `--only <id>[,<id>…]`
 * (also `--only=<ids>`) or BENCH_ONLY=<ids>. An unknown name stops the run before anything starts.
 */
export class ScenarioSelectionError extends Error {
  readonly code = 'BENCH_UNKNOWN_SCENARIO';
}

function requestedIds(argv: readonly string[], env: NodeJS.ProcessEnv): string[] | null {
  let value: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (argument === '--only') value = argv[index + 1] ?? '';
    else if (argument.startsWith('--only=')) value = argument.slice('--only='.length);
  }
  value ??= env.BENCH_ONLY;
  if (value === undefined) return null;
  return value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
}

/** The scenarios to run, in their usual order; `only` is null when every scenario runs. */
export function selectScenarios<T extends { id: string }>(all: readonly T[], argv: readonly string[], env: NodeJS.ProcessEnv): { selected: T[]; only: string[] | null } {
  const ids = requestedIds(argv, env);
  if (ids === null) return { selected: [...all], only: null };
  const known = new Set(all.map((scenario) => scenario.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (ids.length === 0 || unknown.length > 0) {
    throw new ScenarioSelectionError(`--only takes scenario ids among: ${[...known].join(', ')} (got ${ids.length ? unknown.join(', ') : 'none'})`);
  }
  return { selected: all.filter((scenario) => ids.includes(scenario.id)), only: ids };
}
