/**
 * The members of wechat-crypto@0.0.2 (node-webot, CommonJS, no types of its own) that we use.
 * Read from node_modules/wechat-crypto/lib/msg_crypto.js. Our own cipher in src/wechat/crypto.ts
 * is stricter; this library is the independent reference the tests check it against.
 */
declare module 'wechat-crypto' {
  class WXCrypto {
    /** Throws a plain Error when an argument is empty or the key does not decode to 32 bytes. */
    constructor(token: string, encodingAESKey: string, appid: string);
    /** msg_signature: sha1 of sorted [token, timestamp, nonce, encrypt], lowercase hex. */
    getSignature(timestamp: string, nonce: string, encrypt: string): string;
    /** Does NOT check `id` against the appid, and strips padding leniently. */
    decrypt(encrypted: string): { message: string; id: string };
    /** Base64 of AES-256-CBC(16 random bytes + length + text + appid + PKCS#7 to 32). */
    encrypt(text: string): string;
  }
  export = WXCrypto;
}
