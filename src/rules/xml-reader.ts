// Reads one rule file into a plain element tree the way Wazuh's os_xml does (rule-language.md §1.1):
// entities are not decoded, text is kept exactly (whitespace included), `\<` is literal text with its
// backslash kept, `<var>` definitions are applied and removed, and every element knows its line.
// fast-xml-parser does the tokenising; a light pre-scan guards against DOCTYPE/entity tricks.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ByteString } from '../bytes.js';
import { asciiLower } from './ascii-lower.js';
import { substituteVariables, XmlVariableError } from './xml-variables.js';

/** Larger rule files are refused before parsing (Wazuh's own files are well under 1 MiB). */
export const MAX_XML_BYTES = 16 * 1024 * 1024;

export interface XmlAttribute {
  readonly name: string;
  readonly value: ByteString;
}

export interface XmlElement {
  readonly name: string;
  /** In document order. */
  readonly attributes: readonly XmlAttribute[];
  /** The element's text exactly as written (os_xml keeps only the text after the last child). */
  readonly text: ByteString;
  readonly children: readonly XmlElement[];
  /** 1-based line of the element's `<`. */
  readonly line: number;
}

/** The file is not XML os_xml would accept, or uses a construct we refuse; `line` is 1-based. */
export class XmlReadError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'XmlReadError';
    this.line = line;
  }
}

// `\<` is literal text in os_xml. We hide the `<` from the parser behind a code point that cannot
// occur in a byte string (all char codes are ≤ 0xFF) and put it back afterwards; same length, so
// offsets and line numbers are unchanged.
const HIDDEN_LT = '\uE000';
const HIDDEN_LT_RE = /\uE000/g;

const PARSER = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  captureMetaData: true,
});
// fast-xml-parser types the key as the `Symbol` wrapper; it is a plain symbol at runtime.
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

type OrderedNode = Record<string | symbol, unknown>;

/**
 * Parses `source` (the file's bytes as a latin1 string) into its root elements, `<var>` elements
 * applied and removed. Throws `XmlReadError` for malformed XML, DOCTYPE/ENTITY/CDATA constructs,
 * unknown variables and oversized input.
 */
export function readXml(source: ByteString): XmlElement[] {
  if (source.length > MAX_XML_BYTES) {
    throw new XmlReadError(`File is larger than ${MAX_XML_BYTES} bytes.`, 1);
  }
  const lineStarts = lineOffsets(source);
  const prepared = prescan(source, lineStarts);
  validate(prepared);
  let nodes: unknown;
  try {
    nodes = PARSER.parse(prepared);
  } catch (err) {
    throw new XmlReadError(`Bad XML: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
  const roots = toElements(nodes as OrderedNode[], lineStarts);
  return applyVariables(roots, new Map());
}

function lineOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineAt(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Hides `\<` and refuses every `<!` construct other than a comment: a DOCTYPE can declare entities
 * (billion-laughs), and os_xml has no DOCTYPE, ENTITY or CDATA support anyway.
 */
function prescan(source: string, lineStarts: readonly number[]): string {
  let out = '';
  let from = 0;
  let i = source.indexOf('<');
  while (i !== -1) {
    if (i > 0 && source.charCodeAt(i - 1) === 0x5c) {
      out += source.slice(from, i) + HIDDEN_LT;
      from = i + 1;
      i = source.indexOf('<', from);
      continue;
    }
    if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i + 4);
      if (end === -1) throw new XmlReadError('Comment not closed.', lineAt(lineStarts, i));
      i = source.indexOf('<', end + 3);
      continue;
    }
    if (source.charCodeAt(i + 1) === 0x21) {
      const what = /^<!(DOCTYPE|ENTITY|\[CDATA\[)/i.exec(source.slice(i, i + 12))?.[1]?.toUpperCase() ?? '<!';
      throw new XmlReadError(`${what} is not supported in rule files (no DTD, entity or CDATA handling).`, lineAt(lineStarts, i));
    }
    i = source.indexOf('<', i + 1);
  }
  return from === 0 ? source : out + source.slice(from);
}

/**
 * Structural check with line numbers. Rule files have several root elements and raw `&`, which
 * the validator rejects, so it sees a copy wrapped in one root with `&` and processing
 * instructions blanked (same length and lines, so its line numbers stay right).
 */
function validate(prepared: string): void {
  const copy = prepared.replace(/<\?[\s\S]*?\?>/g, (pi) => pi.replace(/[^\n]/g, ' ')).replace(/&/g, ' ');
  const result = XMLValidator.validate(`<r>${copy}</r>`, { allowBooleanAttributes: false });
  if (result !== true) throw new XmlReadError(`Bad XML: ${result.err.msg}`, result.err.line);
}

function toElements(nodes: readonly OrderedNode[], lineStarts: readonly number[]): XmlElement[] {
  const elements: XmlElement[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
    if (name === undefined) continue; // text between root elements: ignored, as in os_xml
    const body = node[name] as OrderedNode[];
    const children = toElements(body, lineStarts);
    elements.push({
      name,
      attributes: Object.entries((node[':@'] as Record<string, string> | undefined) ?? {}).map(([n, v]) => ({ name: n, value: unhide(v) })),
      text: unhide(textAfterLastChild(body)),
      children,
      line: lineAt(lineStarts, (node[META] as { startIndex: number } | undefined)?.startIndex ?? 0),
    });
  }
  return elements;
}

/** os_xml's content buffer restarts at every child element, so only the trailing text survives. */
function textAfterLastChild(body: readonly OrderedNode[]): string {
  let text = '';
  for (const part of body) {
    if ('#text' in part) text += String(part['#text']);
    else text = '';
  }
  return text;
}

function unhide(text: string): ByteString {
  return text.includes(HIDDEN_LT) ? text.replace(HIDDEN_LT_RE, '<') : text;
}

/**
 * §1.1: `<var name="N">value</var>` defines a variable (case-insensitive name) for everything after
 * it; substitution only starts once one is defined. Var elements are removed from the tree.
 */
function applyVariables(elements: readonly XmlElement[], vars: Map<string, ByteString>): XmlElement[] {
  const out: XmlElement[] = [];
  for (const el of elements) {
    if (asciiLower(el.name) === 'var') {
      defineVariable(el, vars);
      continue;
    }
    try {
      const attributes = vars.size === 0 ? el.attributes : el.attributes.map((a) => ({ name: a.name, value: substituteVariables(a.value, vars) }));
      const text = vars.size === 0 ? el.text : substituteVariables(el.text, vars);
      out.push({ ...el, attributes, text, children: applyVariables(el.children, vars) });
    } catch (err) {
      if (err instanceof XmlVariableError) throw new XmlReadError(err.message, el.line);
      throw err;
    }
  }
  return out;
}

function defineVariable(el: XmlElement, vars: Map<string, ByteString>): void {
  const [attr, ...rest] = el.attributes;
  if (attr === undefined || attr.name.toLowerCase() !== 'name' || rest.length > 0) {
    throw new XmlReadError('Only "name" is allowed as an attribute for a variable.', el.line);
  }
  vars.set(asciiLower(attr.value), el.text);
}
