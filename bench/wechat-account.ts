/** The simulated Official Account every bench process agrees on. */
export const BENCH_WECHAT = {
  appId: 'wxbench0000000000a',
  appSecret: 'bench-app-secret',
  token: 'benchtoken123',
  encodingAESKey: 'benchEncodingAESKey0123456789abcdefghijklmn',
  ghId: 'gh_bench000000',
} as const;

export type PushMode = 'plain' | 'safe';
