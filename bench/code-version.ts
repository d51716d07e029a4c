import { execFileSync } from 'node:child_process';

/**
 * Which server code was measured: the commit, and the files under server/ and
 * shared/ that differ from it (the servers run the working tree through tsx).
 * Read-only git commands; "unknown" outside a git checkout.
 */
export function codeVersion(repoRoot: string): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const commit = git('log', '-1', '--format=%h %s').trim();
    // Not trimmed at the start: a porcelain line begins with its status column, often a space (" M path").
    const dirty = git('status', '--porcelain', '--', 'server', 'shared')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    return dirty.length ? `${commit} + uncommitted changes in ${dirty.length} file(s): ${dirty.slice(0, 8).join(', ')}${dirty.length > 8 ? ', …' : ''}` : `${commit} (server/ and shared/ clean)`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
