import { createHash, randomBytes, randomInt } from 'node:crypto';

/** A WeChat user as the simulated account knows them. */
export interface SimulatedUser {
  readonly openid: string;
  /** Only when the account is bound to an Open Platform account. */
  readonly unionid: string | null;
  readonly subscribed: boolean;
  readonly subscribeTimeSeconds: number;
  /** WeChat's subscribe_scene: ADD_SCENE_QR_CODE when they followed by scanning a code. */
  readonly subscribeScene: string;
  /** The scene of the code they followed through, else ''. */
  readonly qrSceneStr: string;
  readonly language: string;
  /** What web authorization with snsapi_userinfo consent reveals (user/info no longer does). */
  readonly nickname: string;
  readonly lastSeenMs: number;
}

/** How a test describes a user the first time it appears. */
export interface UserSeed {
  openid: string;
  unionid?: string | null;
  subscribed: boolean;
  /** Defaults to a name derived from the openid (see nicknameFor). */
  nickname?: string;
}

export interface UserDirectory {
  readonly byOpenid: ReadonlyMap<string, SimulatedUser>;
  /** The remembered user (their state wins), or a new one from the seed. */
  remember(seed: UserSeed): SimulatedUser;
  markSubscribed(openid: string, viaSceneStr: string): SimulatedUser;
  markUnsubscribed(openid: string): SimulatedUser;
  /** Most recently seen first. */
  recent(limit: number): SimulatedUser[];
}

/** What the simulator accepts as an openid from outside (forms, cookies, URLs): WeChat's alphabet, bounded. */
export const OPENID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** openids and unionids look like WeChat's: 'o' + 27 URL-safe characters. */
export function randomWechatId(): string {
  return `o${randomBytes(21).toString('base64url').slice(0, 27)}`;
}

/**
 * Real nicknames are anything a person types: CJK, emoji, spaces, symbols. The list has a
 * bit of each so that whoever stores them meets them in tests.
 */
const NICKNAMES = ['小明', '晓雨', '阿强', '子涵', '一帆', '思远', '星辰 ✨', '🌸 Lily', 'Zhang Wei', '老王 & 朋友'] as const;

/** A nickname that stays the same for the same openid, so repeated runs read alike. */
export function nicknameFor(openid: string): string {
  const digest = createHash('sha256').update(openid).digest();
  const name = NICKNAMES[digest[0]! % NICKNAMES.length]!;
  return `${name}${String(digest.readUInt16BE(1) % 100).padStart(2, '0')}`;
}

/** A user who has never seen the account: random openid, a unionid half of the time. */
export function randomNewUserSeed(): UserSeed {
  return { openid: randomWechatId(), unionid: randomInt(2) === 0 ? randomWechatId() : null, subscribed: false };
}

export function createUserDirectory(now: () => number): UserDirectory {
  const byOpenid = new Map<string, SimulatedUser>();

  function update(openid: string, change: Partial<SimulatedUser>): SimulatedUser {
    const current = byOpenid.get(openid);
    if (!current) throw new Error(`WeChat simulator: unknown user ${openid}`);
    const next: SimulatedUser = { ...current, ...change, lastSeenMs: now() };
    byOpenid.set(openid, next);
    return next;
  }

  return {
    byOpenid,
    remember(seed) {
      const known = byOpenid.get(seed.openid);
      if (known) return update(seed.openid, {});
      const user: SimulatedUser = {
        openid: seed.openid,
        unionid: seed.unionid ?? null,
        subscribed: seed.subscribed,
        subscribeTimeSeconds: seed.subscribed ? Math.floor(now() / 1000) : 0,
        subscribeScene: seed.subscribed ? 'ADD_SCENE_OTHERS' : '',
        qrSceneStr: '',
        language: 'zh_CN',
        nickname: seed.nickname ?? nicknameFor(seed.openid),
        lastSeenMs: now(),
      };
      byOpenid.set(user.openid, user);
      return user;
    },
    markSubscribed(openid, viaSceneStr) {
      return update(openid, {
        subscribed: true,
        subscribeTimeSeconds: Math.floor(now() / 1000),
        subscribeScene: 'ADD_SCENE_QR_CODE',
        qrSceneStr: viaSceneStr,
      });
    },
    markUnsubscribed(openid) {
      return update(openid, { subscribed: false, subscribeTimeSeconds: 0, subscribeScene: '', qrSceneStr: '' });
    },
    recent(limit) {
      return [...byOpenid.values()].sort((a, b) => b.lastSeenMs - a.lastSeenMs).slice(0, limit);
    },
  };
}
