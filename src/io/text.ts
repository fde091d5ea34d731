/**
 * Text in and out of the command line: the bytes of a file decoded as their writer meant them,
 * and anything quoted from a file made safe to print on a terminal.
 */

/**
 * Decodes a file's bytes: UTF-8, with or without a byte-order mark, or UTF-16 (little- or
 * big-endian) when it starts with that byte-order mark, as Windows shells write redirected
 * output (`elution example > p.json` in PowerShell 5). Without a mark, text whose first two
 * bytes are an ASCII character and a zero byte (or a zero byte and an ASCII character) is read
 * as UTF-16LE (BE): a UTF-8 text file never holds a zero byte there. Invalid UTF-8 becomes U+FFFD.
 */
export function decodeText(bytes: Uint8Array): string {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (b0 === 0xff && b1 === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (b0 === 0xfe && b1 === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.length >= 2 && b0 !== 0 && b0 < 0x80 && b1 === 0) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 2 && b0 === 0 && b1 !== 0 && b1 < 0x80) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

/** Longest excerpt of input quoted in a message (characters, before escaping). */
export const EXCERPT_LENGTH = 60;

/**
 * Characters a terminal would act on or that change how a line reads: C0 and C1 controls (line
 * breaks, escape sequences, bell), DEL, the bidirectional overrides, embeddings and isolates
 * (which reorder what follows them) and unpaired surrogates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/gu;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every unsafe character (UNSAFE) written as \n, \r, \t or \uXXXX, so it prints as it reads. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A piece of input for a message: in double quotes, at most EXCERPT_LENGTH characters (longer
 * text is cut, its length said), quotes and backslashes escaped and unsafe characters as \uXXXX.
 */
export function excerpt(text: string): string {
  const chars = Array.from(text);
  const cut = chars.length > EXCERPT_LENGTH;
  const shown = cut ? chars.slice(0, EXCERPT_LENGTH).join('') : text;
  const quoted = `"${terminalSafe(shown.replace(/[\\"]/g, (c) => `\\${c}`))}"`;
  return cut ? `${quoted.slice(0, -1)}..." (${chars.length} characters)` : quoted;
}
