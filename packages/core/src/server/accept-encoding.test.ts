import { strictEqual } from 'node:assert/strict';
import { describe, it } from 'vitest';
import { negotiateEncoding } from './accept-encoding.js';

describe('negotiateEncoding', () => {
  it('answers plain without a header, or when only unknown codings are accepted', () => {
    strictEqual(negotiateEncoding(undefined), undefined);
    strictEqual(negotiateEncoding(''), undefined);
    strictEqual(negotiateEncoding('identity'), undefined);
    strictEqual(negotiateEncoding('zstd, compress'), undefined);
  });

  it('takes the coding the client lists first among equally rated ones', () => {
    strictEqual(negotiateEncoding('gzip,br,deflate'), 'gzip');
    strictEqual(negotiateEncoding('br'), 'br');
    strictEqual(negotiateEncoding('deflate, gzip'), 'deflate');
    strictEqual(negotiateEncoding('zstd, br, gzip'), 'br');
  });

  it('follows q-values, q=0 refusing a coding', () => {
    strictEqual(negotiateEncoding('gzip;q=0.5, br;q=0.8'), 'br');
    strictEqual(negotiateEncoding('gzip; q=1.0, br;q=0.2'), 'gzip');
    strictEqual(negotiateEncoding('gzip;q=0, deflate;q=0.1'), 'deflate');
    strictEqual(negotiateEncoding('br;q=0, gzip;q=0'), undefined);
    strictEqual(negotiateEncoding('GZIP;Q=0.3'), 'gzip');
  });

  it('lets * stand for every coding not named, ranked below the named ones', () => {
    strictEqual(negotiateEncoding('*'), 'br');
    strictEqual(negotiateEncoding('*, gzip'), 'gzip');
    strictEqual(negotiateEncoding('br;q=0, *'), 'gzip');
    strictEqual(negotiateEncoding('*;q=0'), undefined);
    strictEqual(negotiateEncoding('deflate;q=0.5, *;q=0.9'), 'br');
  });
});
