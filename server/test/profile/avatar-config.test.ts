import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('AVATAR_MAX_BYTES', () => {
  it('defaults to 1 MiB and takes a number of bytes', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).avatarMaxBytes).toBe(1024 * 1024);
    expect(loadConfig({ NODE_ENV: 'test', AVATAR_MAX_BYTES: '200000' }).avatarMaxBytes).toBe(200_000);
  });

  it.each(['abc', '12.5', '10', '99999999'])('stops start-up naming the variable for %s', (value) => {
    expect(() => loadConfig({ NODE_ENV: 'test', AVATAR_MAX_BYTES: value })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', AVATAR_MAX_BYTES: value })).toThrow(/AVATAR_MAX_BYTES/);
  });
});
