import { mkdir, mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toBytes } from '../bytes.js';
import { decodeJsonLog } from '../decoder/decode-json-log.js';
import { RuleLoadError } from '../errors.js';
import { compileRuleset, listResolver, listRuleFiles, loadRuleset, readRuleFiles } from './load-rules.js';
import { shippedMitreCatalog } from './mitre.js';
import { MAX_XML_BYTES } from './xml-reader.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/rules');
const ROOT_FILE = path.join(FIXTURES, '0010-root.xml');

async function tempDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ctindex-rules-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

const ev = (o: unknown) => decodeJsonLog(JSON.stringify(o), { location: 'stdin', hostname: 'h' });
const rule = (id: number, level: number, body: string, attrs = '') => `<rule id="${id}" level="${level}"${attrs}>${body}<description>r${id}</description></rule>`;
const group = (rules: string) => `<group name="t,">${rules}</group>\n`;

describe('listRuleFiles (rule-language.md §1.2)', () => {
  it('takes *.xml from directories, keeps named files, and sorts everything by base name', async () => {
    const a = await tempDir({ '0200-b.xml': '', '0100-c.xml': '', 'notes.txt': '', 'sub/0000-deep.xml': '' });
    const b = await tempDir({ '0150-a.xml': '', 'extra.rules': '' });
    const files = await listRuleFiles([a, path.join(b, 'extra.rules'), b, path.join(a, '0200-b.xml')]);
    expect(files.map((f) => path.basename(f))).toEqual(['0100-c.xml', '0150-a.xml', '0200-b.xml', 'extra.rules']);
  });

  it('refuses a path that does not exist', async () => {
    await expect(listRuleFiles(['/nonexistent/rules'])).rejects.toBeInstanceOf(RuleLoadError);
  });
});

describe('loadRuleset', () => {
  it('loads files in base-name order, so a later file overwrites an earlier one', async () => {
    const dir = await tempDir({
      '0900-late.xml': group(rule(100, 9, '<field name="a">^1$</field>', ' overwrite="yes"')),
      '0500-early.xml': group(rule(100, 3, '<field name="a">^1$</field>')),
    });
    const ruleset = await loadRuleset({ rules: [dir, ROOT_FILE] });
    expect(ruleset.newSession({ clock: 'processing' }).evaluate(ev({ a: '1' }))?.level).toBe(9);
  });

  it('throws one RuleLoadError listing every fatal problem as file:line (rule N): message', async () => {
    const dir = await tempDir({
      '0500-a.xml': group(`\n${rule(100, 3, '<bogus/>')}\n${rule(101, 3, '<field name="srcip">x</field>')}`),
      '0600-b.xml': '<group name="g">\n<rule id="x" level="3"/>\n</group>\n<!-- unclosed',
    });
    const err = await loadRuleset({ rules: [ROOT_FILE, dir] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuleLoadError);
    const lines = (err as RuleLoadError).message.split('\n');
    expect(lines[0]).toBe('The rules cannot be loaded (3 problems):');
    expect(lines.slice(1)).toEqual([
      `${path.join(dir, '0500-a.xml')}:2 (rule 100): Invalid option <bogus>.`,
      `${path.join(dir, '0500-a.xml')}:3 (rule 101): <field name="srcip"> names a static field; use <srcip> instead.`,
      `${path.join(dir, '0600-b.xml')}:4: Comment not closed.`,
    ]);
    expect((err as RuleLoadError).code).toBe('rules_invalid');
  });

  it('keeps skipped rules as warnings and loads the rest', async () => {
    const dir = await tempDir({ '0500-a.xml': group(rule(100, 3, '<if_sid>999</if_sid>') + rule(101, 3, '<field name="a">^1$</field>')) });
    const ruleset = await loadRuleset({ rules: [ROOT_FILE, dir] });
    expect(ruleset.ruleCount).toBe(2);
    expect(ruleset.warnings.map((w) => [w.ruleId, w.message])).toEqual([
      ['100', 'if_sid 999 is not loaded; the rule is attached to its other parents.'],
      ['100', 'Rule skipped: none of the if_sid rules (999) is loaded.'],
    ]);
  });

  it('resolves <list> paths in --lists, with or without etc/lists/ and .cdb', async () => {
    const rules = await tempDir({
      '0500-a.xml': group(
        rule(100, 5, '<list field="aws.eventName" lookup="match_key">etc/lists/amazon/aws-eventnames</list>') +
          rule(101, 4, '<list field="aws.eventName" lookup="match_key">etc/lists/amazon/aws-eventnames.cdb</list>'),
      ),
    });
    const ruleset = await loadRuleset({ rules: [ROOT_FILE, rules], listsDir: path.join(FIXTURES, 'lists') });
    const s = ruleset.newSession({ clock: 'processing' });
    expect(s.evaluate(ev({ aws: { eventName: 'ConsoleLogin' } }))?.id).toBe('100');
    expect(s.evaluate(ev({ aws: { eventName: 'consolelogin' } }))).toBeNull();
    expect(ruleset.ruleCount).toBe(3);
  });

  it('skips list rules without --lists, with a warning', async () => {
    const rules = await tempDir({ '0500-a.xml': group(rule(100, 5, '<list field="x">etc/lists/amazon/aws-eventnames</list>')) });
    const ruleset = await loadRuleset({ rules: [ROOT_FILE, rules] });
    expect(ruleset.warnings.map((w) => w.message)).toEqual(['Rule skipped: list "etc/lists/amazon/aws-eventnames" is not loaded (use --lists DIR).']);
  });
});

describe('listResolver', () => {
  it('never reads outside the lists directory', () => {
    const resolve = listResolver(path.join(FIXTURES, 'lists'));
    expect(resolve('etc/lists/amazon/aws-eventnames')?.get('DeleteTrail')).toBe('Impair');
    expect(resolve('etc/lists/../../0010-root.xml')).toBeUndefined();
    expect(resolve('/etc/passwd')).toBeUndefined();
    expect(listResolver(undefined)('etc/lists/amazon/aws-eventnames')).toBeUndefined();
  });
});

describe('file structure (rule-language.md §1.3)', () => {
  const problems = (text: string) => compileRuleset([{ path: 'f.xml', text: toBytes(text) }], { resolveList: () => undefined, mitre: shippedMitreCatalog() }).problems.map((p) => `${p.line}: ${p.message}`);

  it.each([
    ['a root other than group', '<rules name="x"><rule/></rules>', ['1: Invalid root element <rules>: only <group name="..."> is allowed.']],
    ['a group with another attribute', '<group name="g" id="1"><rule/></group>', ['1: Invalid root element <group>: only <group name="..."> is allowed.']],
    ['a group without rules', '<group name="g">\n</group>', ['1: Group "g" without any rule.']],
    ['an element other than rule in a group', '<group name="g">\n<decoder/></group>', ['2: Invalid element <decoder> in a group: only <rule> is allowed.']],
    ['a file with only a comment', '<!-- nothing -->', ['1: No <group> element in the file.']],
  ])('refuses %s', (_name, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('accepts an empty file and variables at the top', () => {
    expect(problems('')).toEqual([]);
    expect(problems('<var name="X">^1$</var><group name="g"><rule id="1" level="0"><field name="a">$X</field><description>d</description></rule></group>')).toEqual([]);
  });
});

describe('malicious input', () => {
  it('rejects an entity bomb with a clear, located error', () => {
    const bomb = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n<group name="&lol1;"><rule id="1" level="0"><description>d</description></rule></group>';
    const result = compileRuleset([{ path: 'bomb.xml', text: bomb }], { resolveList: () => undefined, mitre: shippedMitreCatalog() });
    expect(result.problems).toEqual([
      { severity: 'error', file: 'bomb.xml', line: 2, message: 'DOCTYPE is not supported in rule files (no DTD, entity or CDATA handling).' },
    ]);
  });

  it('rejects a huge file without reading all of it', async () => {
    const dir = await tempDir({ '0500-huge.xml': '' });
    await truncate(path.join(dir, '0500-huge.xml'), MAX_XML_BYTES * 4);
    const [file] = await readRuleFiles([dir]);
    expect(file?.text.length).toBe(MAX_XML_BYTES + 1);
    await expect(loadRuleset({ rules: [dir] })).rejects.toThrow(/0500-huge.xml:1: File is larger than 16777216 bytes/);
  });
});
