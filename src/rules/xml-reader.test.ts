import { describe, expect, it } from 'vitest';
import { MAX_XML_BYTES, readXml, XmlReadError } from './xml-reader.js';

function readError(source: string): XmlReadError {
  try {
    readXml(source);
  } catch (err) {
    if (err instanceof XmlReadError) return err;
    throw err;
  }
  throw new Error('expected an XmlReadError');
}

describe('readXml (rule-language.md §1.1)', () => {
  it('keeps element text exactly, whitespace and newlines included', () => {
    const [g] = readXml('<group name="g"><match> foo\n bar </match></group>');
    expect(g?.children[0]?.text).toBe(' foo\n bar ');
  });

  it('does not decode entities', () => {
    const [g] = readXml('<group name="a&amp;b"><match>x &amp; y &lt;</match></group>');
    expect(g?.attributes).toEqual([{ name: 'name', value: 'a&amp;b' }]);
    expect(g?.children[0]?.text).toBe('x &amp; y &lt;');
  });

  it('keeps a raw & in text', () => {
    const [g] = readXml('<group name="g"><match>a&b</match></group>');
    expect(g?.children[0]?.text).toBe('a&b');
  });

  it('treats \\< as literal text and keeps the backslash', () => {
    const [g] = readXml('<group name="g"><regex>x\\<y</regex></group>');
    expect(g?.children[0]?.text).toBe('x\\<y');
  });

  it('gives an empty element empty text', () => {
    const [g] = readXml('<group name="g"><same_srcip /><x></x></group>');
    expect(g?.children.map((c) => c.text)).toEqual(['', '']);
  });

  it('skips comments, also inside text', () => {
    const [g] = readXml('<!-- c <rule> -->\n<group name="g"><match>a<!-- x -->b</match></group>');
    expect(g?.children[0]?.text).toBe('ab');
  });

  it('keeps several root elements and attributes in document order', () => {
    const roots = readXml('<group name="a"><r/></group>\n<group name="b" x="1"><r/></group>');
    expect(roots.map((r) => r.attributes)).toEqual([[{ name: 'name', value: 'a' }], [{ name: 'name', value: 'b' }, { name: 'x', value: '1' }]]);
  });

  it('knows the line of every element', () => {
    const [g] = readXml('\n<group name="g">\n  <rule id="1">\n    <match>x</match>\n  </rule>\r\n  <rule id="2"/>\n</group>');
    expect(g?.line).toBe(2);
    expect(g?.children.map((r) => r.line)).toEqual([3, 6]);
    expect(g?.children[0]?.children[0]?.line).toBe(4);
  });

  it('keeps only the text after the last child of a container, as os_xml does', () => {
    const [g] = readXml('<group name="g">before<a/>after</group>');
    expect(g?.text).toBe('after');
  });

  it('applies <var> to later text and attributes and removes the var elements', () => {
    const roots = readXml('<var name="BAD">x|y</var>\n<group name="g,$BAD"><match>$bad</match></group>');
    expect(roots).toHaveLength(1);
    expect(roots[0]?.attributes[0]?.value).toBe('g,x|y');
    expect(roots[0]?.children[0]?.text).toBe('x|y');
  });

  it('does not substitute before the first variable is defined', () => {
    const roots = readXml('<group name="g"><match>$NOPE</match></group><var name="A">v</var><group name="h"><match>x $A</match></group>');
    expect(roots.map((r) => r.children[0]?.text)).toEqual(['$NOPE', 'x v']);
  });

  it('rejects an unknown variable once one is defined, with the element line', () => {
    const err = readError('<var name="A">v</var>\n<group name="g">\n<match>$NOPE</match></group>');
    expect(err.message).toBe('Unknown variable: NOPE');
    expect(err.line).toBe(3);
  });

  it('rejects a var with other attributes', () => {
    expect(readError('<var name="A" x="1">v</var>').message).toMatch(/Only "name"/);
  });

  it('rejects malformed XML with its line', () => {
    const err = readError('<group name="g">\n<rule>\n</group>');
    expect(err.message).toMatch(/^Bad XML/);
    expect(err.line).toBe(3);
  });

  it('rejects an unclosed comment', () => {
    expect(readError('<group name="g"></group>\n<!-- open').message).toBe('Comment not closed.');
  });

  it.each([
    ['a DOCTYPE (entity expansion, billion laughs)', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<group name="&lol2;"/>', 'DOCTYPE'],
    ['an ENTITY declaration', '<!ENTITY x "y">\n<group name="g"/>', 'ENTITY'],
    ['a CDATA section', '<group name="g"><match><![CDATA[x]]></match></group>', '[CDATA['],
  ])('refuses %s', (_name, source, what) => {
    const err = readError(source);
    expect(err.message).toContain(what);
    expect(err.message).toContain('not supported');
  });

  it('refuses input larger than the limit before parsing it', () => {
    const err = readError(`<group name="g">${' '.repeat(MAX_XML_BYTES)}</group>`);
    expect(err.message).toMatch(/larger than/);
  });

  it('reports names the parser refuses as a read error', () => {
    expect(readError('<group name="g"><constructor>x</constructor></group>').message).toMatch(/^Bad XML/);
  });
});
