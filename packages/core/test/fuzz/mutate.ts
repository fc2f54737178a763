// Mutations of valid encodings, so the fuzzer reaches past the first check of each decoder.
import fc from 'fast-check';

/** One edit: flip a unit, insert text, delete a run, truncate, or splice in a piece of another encoding. */
type Edit =
  | { kind: 'flip'; at: number; unit: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; from: number; to: number };

/** Characters that matter to some decoder: digits, separators, JSON punctuation, frame marks, surrogates. */
const SPECIAL = '0123456789:+-,/[]{}"\\b\x1e\ufffd\n\ud800\udc00_placeholdernum';

const unit = fc.oneof(
  fc.constantFrom(...Array.from(SPECIAL, (c) => c.charCodeAt(0))),
  fc.integer({ min: 0, max: 0xffff }),
);

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), unit }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ unit: fc.constantFrom(...SPECIAL) }), fc.string({ unit: 'binary' })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), from: fc.nat(), to: fc.nat() }),
);

function applyToString(text: string, edits: readonly Edit[], donor: string): string {
  for (const e of edits) {
    const at = text.length === 0 ? 0 : e.at % (text.length + 1);
    if (e.kind === 'flip') text = text.slice(0, at) + String.fromCharCode(e.unit) + text.slice(at + 1);
    else if (e.kind === 'insert') text = text.slice(0, at) + e.text + text.slice(at);
    else if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + e.count);
    else if (e.kind === 'truncate') text = text.slice(0, at);
    else text = text.slice(0, at) + donor.slice(e.from % (donor.length + 1), e.to % (donor.length + 1)) + text.slice(at);
  }
  return text;
}

function applyToBytes(bytes: Buffer, edits: readonly Edit[], donor: Buffer): Buffer {
  for (const e of edits) {
    const at = bytes.length === 0 ? 0 : e.at % (bytes.length + 1);
    const head = bytes.subarray(0, at);
    if (e.kind === 'flip') bytes = Buffer.concat([head, Buffer.of(e.unit & 0xff), bytes.subarray(at + 1)]);
    else if (e.kind === 'insert') bytes = Buffer.concat([head, Buffer.from(e.text, 'latin1'), bytes.subarray(at)]);
    else if (e.kind === 'delete') bytes = Buffer.concat([head, bytes.subarray(at + e.count)]);
    else if (e.kind === 'truncate') bytes = head;
    else bytes = Buffer.concat([head, donor.subarray(e.from % (donor.length + 1), e.to % (donor.length + 1)), bytes.subarray(at)]);
  }
  return bytes;
}

/** Valid encodings from `valid`, each edited 1 to 4 times (splices take from another valid encoding). */
export function mutatedString(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(valid, fc.array(edit, { minLength: 1, maxLength: 4 }), valid)
    .map(([text, edits, donor]) => applyToString(text, edits, donor));
}

/** The same over bytes. */
export function mutatedBytes(valid: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  return fc
    .tuple(valid, fc.array(edit, { minLength: 1, maxLength: 4 }), valid)
    .map(([bytes, edits, donor]) => applyToBytes(bytes, edits, donor));
}

/** Arbitrary text: any UTF-16 (lone surrogates included) or text made of the characters decoders look at. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 64 }),
  fc.string({ unit: fc.constantFrom(...SPECIAL), maxLength: 64 }),
);

/** Arbitrary bytes, small values (record kinds, length digits) and 0xff (the record end) favoured half the time. */
export const anyBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  fc.array(fc.constantFrom(0, 1, 2, 4, 9, 10, 0xff, 0x34, 0x3a), { maxLength: 32 }).map((a) => Buffer.from(a)),
);
