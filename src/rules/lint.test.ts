import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatLintProblem, lintRules } from './lint.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/rules');
const ROOT_FILE = path.join(FIXTURES, '0010-root.xml');

async function lint(files: Record<string, string>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ctindex-lint-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  const result = await lintRules({ rules: [ROOT_FILE, dir] });
  return { ...result, lines: result.problems.map((p) => formatLintProblem(p).replace(`${dir}${path.sep}`, '')) };
}

const rule = (id: number, level: number, body: string, attrs = '') => `<rule id="${id}" level="${level}"${attrs}>${body}<description>r${id}</description></rule>`;
const group = (rules: string) => `<group name="t,">\n${rules}\n</group>\n`;

describe('lintRules', () => {
  it('passes the fixtures of the worked example', async () => {
    expect(await lintRules({ rules: [FIXTURES] })).toEqual({ problems: [], errors: 0, warnings: 0 });
  });

  it('reports duplicates, unknown parents, invalid patterns and unsupported options as file:line: rule N: …', async () => {
    const result = await lint({
      '0500-a.xml': group(
        [
          rule(100, 3, '<match>a</match>'),
          rule(100, 4, '<match>b</match>'),
          rule(101, 3, '<if_sid>999</if_sid>'),
          rule(102, 3, '<regex>(unclosed</regex>'),
          rule(103, 3, '<match size="3">a</match>'),
          rule(104, 3, '<frobnicate>a</frobnicate>'),
        ].join('\n'),
      ),
    });
    expect(result.lines).toEqual([
      '0500-a.xml:3: rule 100: warning: Rule skipped: duplicate rule id 100 (use overwrite="yes" to replace it).',
      '0500-a.xml:4: rule 101: warning: if_sid 999 is not loaded; the rule is attached to its other parents.',
      '0500-a.xml:4: rule 101: warning: Rule skipped: none of the if_sid rules (999) is loaded.',
      expect.stringMatching(/^0500-a\.xml:5: rule 102: error: Invalid osregex pattern in <regex>: /),
      '0500-a.xml:6: rule 103: warning: Attribute "size" is not supported on <match> and is ignored.',
      '0500-a.xml:7: rule 104: error: Invalid option <frobnicate>.',
    ]);
    expect([result.errors, result.warnings]).toEqual([2, 4]);
  });

  it('reports parent cycles as errors', async () => {
    const result = await lint({ '0500-a.xml': group([rule(100, 3, '<if_sid>102</if_sid>'), rule(101, 3, '<if_sid>100</if_sid>'), rule(102, 3, '<if_matched_sid>101</if_matched_sid>')].join('\n')) });
    expect(result.lines.filter((l) => l.includes('cycle'))).toEqual(['0500-a.xml:2: rule 100: error: Parent cycle: 100 → 102 → 101 → 100; none of these rules can load.']);
  });

  it('points at parents defined after their children', async () => {
    const result = await lint({ '0500-a.xml': group(rule(101, 3, '<if_sid>100</if_sid>')), '0600-b.xml': group(rule(100, 3, '<match>a</match>')) });
    expect(result.lines).toContainEqual(expect.stringMatching(/^0500-a\.xml:2: rule 101: warning: Parent 100 is defined later \(.*0600-b\.xml:2\); parents must be loaded first\.$/));
    expect(result.errors).toBe(0);
  });

  it('reports XML errors of a file and still lints the others', async () => {
    const result = await lint({ '0500-a.xml': '<group name="t,">\n<rule>\n</group>', '0600-b.xml': group(rule(100, 3, '<bogus/>')) });
    expect(result.lines).toEqual([expect.stringMatching(/^0500-a\.xml:3: error: Bad XML/), '0600-b.xml:2: rule 100: error: Invalid option <bogus>.']);
  });
});
