/**
 * A small, tolerant XML reader for the bodies of event notifications: dialog-info (RFC 4235),
 * PIDF (RFC 3863) and what rides with them. The stack is DOM-free (no DOMParser), and the XML
 * libraries that run without a DOM cost several KB of the page for features these bodies never
 * use (DTDs, namespaces resolved by URI, streaming), so this reads just elements, attributes and
 * text, in one pass over the input (linear: each character is looked at a bounded number of
 * times), with limits on size, depth and element count, since the body comes from the far end.
 *
 * Tolerant: a namespace prefix is dropped (`dm:person` is read as `person`, as the packages'
 * schemas put no two meanings under one local name), unknown entities stay as written, a stray
 * end tag is ignored and unclosed elements are closed at the end. Malformed beyond that (a tag
 * that never ends), or over a limit, it returns undefined.
 */

export interface XmlElement {
  /** The local name, without a namespace prefix. */
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: XmlElement[];
  /** The text directly inside this element (not its children's), entities decoded. */
  text: string;
}

export const XML_LIMITS = { maxBytes: 65536, maxDepth: 32, maxElements: 2000 } as const;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references (XML 1.0 §4.6, §4.1). */
function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole: string, name: string) => {
    if (name[0] !== '#') return ENTITIES[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const localName = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);

const isSpace = (char: string | undefined): boolean => char === ' ' || char === '\t' || char === '\n' || char === '\r';

/**
 * `name="value"` or `name='value'` pairs of a start tag's inside; names without prefix. Scanned
 * by hand, every step moving forward, since a regular expression over a long run without `=`
 * would start again at each position (quadratic).
 */
function readAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  let at = 0;
  while (at < source.length) {
    while (isSpace(source[at])) at++;
    const nameStart = at;
    while (at < source.length && source[at] !== '=' && !isSpace(source[at])) at++;
    const name = source.slice(nameStart, at);
    while (isSpace(source[at])) at++;
    if (source[at] !== '=') {
      at++;
      continue;
    }
    at++;
    while (isSpace(source[at])) at++;
    const quote = source[at];
    if (quote !== '"' && quote !== "'") continue;
    const end = source.indexOf(quote, at + 1);
    if (end < 0) break;
    if (name) attributes.set(localName(name), decode(source.slice(at + 1, end)));
    at = end + 1;
  }
  return attributes;
}

/** The document element, or undefined when the text is not XML this reader can use. */
export function readXml(text: string): XmlElement | undefined {
  if (text.length > XML_LIMITS.maxBytes) return undefined;
  const root: XmlElement = { name: '', attributes: new Map(), children: [], text: '' };
  const stack: XmlElement[] = [root];
  let count = 0;
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('<', at);
    const textEnd = open < 0 ? text.length : open;
    if (textEnd > at) stack[stack.length - 1]!.text += decode(text.slice(at, textEnd));
    if (open < 0) break;
    // Comments, CDATA, the prolog and declarations: skipped (CDATA kept as text).
    if (text.startsWith('<!--', open)) {
      const end = text.indexOf('-->', open + 4);
      if (end < 0) return undefined;
      at = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', open)) {
      const end = text.indexOf(']]>', open + 9);
      if (end < 0) return undefined;
      stack[stack.length - 1]!.text += text.slice(open + 9, end);
      at = end + 3;
      continue;
    }
    const close = text.indexOf('>', open + 1);
    if (close < 0) return undefined;
    at = close + 1;
    const inside = text.slice(open + 1, close);
    if (inside[0] === '?' || inside[0] === '!') continue;
    if (inside[0] === '/') {
      // An end tag closes the nearest open element of that name; a stray one is ignored.
      const name = localName(inside.slice(1).trim());
      for (let depth = stack.length - 1; depth > 0; depth--) {
        if (stack[depth]!.name === name) {
          stack.length = depth;
          break;
        }
      }
      continue;
    }
    const selfClosing = inside.endsWith('/');
    const body = selfClosing ? inside.slice(0, -1) : inside;
    const nameEnd = body.search(/[\s]|$/);
    const element: XmlElement = {
      name: localName(body.slice(0, nameEnd)),
      attributes: readAttributes(body.slice(nameEnd)),
      children: [],
      text: '',
    };
    if (++count > XML_LIMITS.maxElements) return undefined;
    stack[stack.length - 1]!.children.push(element);
    if (!selfClosing) {
      if (stack.length > XML_LIMITS.maxDepth) return undefined;
      stack.push(element);
    }
  }
  return root.children[0];
}

/** Every descendant element named `name` (local name), in document order. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (node: XmlElement) => {
    for (const child of node.children) {
      if (child.name === name) found.push(child);
      walk(child);
    }
  };
  walk(element);
  return found;
}

/** The first child element named `name`, if any. */
export const child = (element: XmlElement | undefined, name: string): XmlElement | undefined =>
  element?.children.find((node) => node.name === name);

/** Text for an XML document: the five characters that cannot stand for themselves, escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&${Object.keys(ENTITIES).find((name) => ENTITIES[name] === char)};`);
}
