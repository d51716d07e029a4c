import { describe, expect, it } from 'vitest';
import { isPlaceholderEmail } from './placeholder-email.js';

describe('isPlaceholderEmail', () => {
  it('matches the configured domain whatever its case, with or without the trailing dot', () => {
    for (const email of ['o1@wx.example.org', 'O1@WX.Example.ORG', 'o1@wx.example.org.', 'a@b@wx.example.org']) {
      expect(isPlaceholderEmail(email, 'wx.example.org'), email).toBe(true);
    }
    expect(isPlaceholderEmail('o1@wx.example.org', 'WX.example.org.')).toBe(true);
  });

  it('leaves other domains alone: subdomains, longer names, look-alikes and no domain at all', () => {
    for (const email of ['o1@mail.wx.example.org', 'o1@wx.example.org.evil.com', 'o1@xwx.example.org', 'o1@wx.exampIe.org', 'o1@wх.example.org', 'wx.example.org', '']) {
      expect(isPlaceholderEmail(email, 'wx.example.org'), email).toBe(false);
    }
  });
});
