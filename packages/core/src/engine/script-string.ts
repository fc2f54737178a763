/**
 * What the JSONP and htmlfile transports of every generation share: the payload travels inside a
 * `<script>` as a JavaScript string literal, and the callback index comes from the query.
 */

/**
 * A string as a JavaScript string literal that is safe inside a `<script>` element and in any engine:
 * JSON escaping, plus `<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes (no `</script>` or `<!--` can
 * end or change the element, no raw line separator can end the literal in an old engine).
 */
export function scriptString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A JSONP callback index: one to nine digits, or undefined for anything else. */
export function jsonpIndex(value: string | undefined): string | undefined {
  return value !== undefined && /^[0-9]{1,9}$/.test(value) ? value : undefined;
}
