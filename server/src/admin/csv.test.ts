import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from './csv.js';

describe('CSV fields', () => {
  it('quotes commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(null)).toBe('');
    expect(csvField(true)).toBe('true');
  });

  it.each(['=1+1', '+cmd|/C calc!A0', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('prefixes %j with a quote mark so no spreadsheet runs it', (value) => {
    const field = csvField(value);
    const unquoted = field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
    expect(unquoted).toBe(`'${value}`);
  });

  it('keeps non-formula text and Chinese as it is, and ends records with CRLF', () => {
    expect(csvField('微信用户 张三')).toBe('微信用户 张三');
    expect(csvField('a=b')).toBe('a=b');
    expect(csvRecord(['id', 'x,y', null])).toBe('id,"x,y",\r\n');
  });
});
