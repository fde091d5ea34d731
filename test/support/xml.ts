/**
 * Strict XML parsing for structural checks of SVG and HTML output: any warning, error or fatal
 * error of the parser fails the test, so "parses" means well-formed. xmldom tolerates a bare '&'
 * (it reads it as text), so that one rule of well-formedness is checked here beforehand.
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';

export function parseXml(text: string, mimeType: 'image/svg+xml' | 'application/xhtml+xml' = 'image/svg+xml'): Document {
  const bare = /&(?![A-Za-z_][\w.-]*;|#[0-9]+;|#x[0-9A-Fa-f]+;)/.exec(text);
  if (bare) throw new Error(`XML fatalError: bare '&' at offset ${bare.index}: ${text.slice(bare.index, bare.index + 20)}`);
  const parser = new DOMParser({
    onError: (level: string, message: string) => {
      throw new Error(`XML ${level}: ${message}`);
    },
  });
  return parser.parseFromString(text, mimeType);
}

export function elements(root: Document | Element, tag: string): Element[] {
  return Array.from(root.getElementsByTagName(tag));
}

/** Elements with `cls` among their classes. */
export function byClass(root: Document | Element, tag: string, cls: string): Element[] {
  return elements(root, tag).filter((e) => (e.getAttribute('class') ?? '').split(/\s+/).includes(cls));
}

/** Numbers of a tick label, undoing the Unicode minus. */
export function tickValue(e: Element): number {
  return Number((e.textContent ?? '').replace('−', '-'));
}
