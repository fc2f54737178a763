import { test } from 'node:test';
import { smokeExample, tampered } from 'switchyard-example-testapp/test/example-smoke.mjs';

// A forged sign-in is refused: a tampered cookie, a bare name, and another name under the genuine signature.
const forge = (cookie) => {
  const signature = /(?:^|; )name=[^.;]*\.([^;]*)/.exec(cookie)?.[1];
  if (signature === undefined) throw new Error(`no signed name in the sign-in cookie: ${cookie}`);
  return [tampered(cookie), 'name=eve', `name=${Buffer.from('eve').toString('base64url')}.${signature}`];
};

test('the example starts, signs in through the framework, refuses a forged cookie, serves the namespaces and stops with a client connected', { timeout: 180_000 }, () =>
  smokeExample(new URL('..', import.meta.url), { framework: 'Next.js', forge }));
