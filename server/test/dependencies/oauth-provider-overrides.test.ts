import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * @better-auth/oauth-provider pins older exact versions of better-auth's own dependencies as peers;
 * the root package.json overrides them with the versions our better-auth uses. When better-auth is
 * bumped, these overrides must move with it, or npm would hold its dependencies back silently.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** npm workspaces hoist every one of these to the root node_modules (the overrides make sure of it). */
const installed = (name: string) => join(root, 'node_modules', name, 'package.json');

function readJson(path: string): Record<string, Record<string, string>> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string>>;
}

describe('npm overrides for @better-auth/oauth-provider', () => {
  const overrides = readJson(join(root, 'package.json')).overrides ?? {};
  const betterAuth = readJson(installed('better-auth'));

  it('override exactly what better-auth itself depends on', () => {
    expect(Object.keys(overrides).sort()).toEqual(['@better-auth/utils', '@better-fetch/fetch', 'better-call']);
    for (const [name, version] of Object.entries(overrides)) {
      expect({ name, version }).toEqual({ name, version: betterAuth.dependencies?.[name] });
    }
  });

  it('are what is installed', () => {
    for (const [name, version] of Object.entries(overrides)) {
      expect({ name, installed: readJson(installed(name)).version }).toEqual({ name, installed: version });
    }
  });

  it('are needed: the provider still pins other versions (drop the overrides when it does not)', () => {
    const provider = readJson(installed('@better-auth/oauth-provider'));
    const differing = Object.keys(overrides).filter((name) => provider.peerDependencies?.[name] !== overrides[name]);
    expect(differing.length).toBeGreaterThan(0);
  });
});
