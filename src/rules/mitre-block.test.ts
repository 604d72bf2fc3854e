import { describe, expect, it } from 'vitest';
import { parseMitreBlock } from './mitre-block.js';
import { RuleProblems } from './rule-problems.js';
import { readXml } from './xml-reader.js';

function block(xml: string) {
  const [el] = readXml(xml);
  const p = new RuleProblems('f.xml');
  return { block: parseMitreBlock(el as never, p), warnings: p.list.map((x) => x.message) };
}

describe('parseMitreBlock (rule-language.md §9)', () => {
  it('reads old-form ids', () => {
    expect(block('<mitre><id>T1110</id><ID>T1078</ID></mitre>')).toEqual({ block: { kind: 'old', ids: ['T1110', 'T1078'] }, warnings: [] });
  });

  it('reads one new-form pair, element names in any case', () => {
    expect(block('<mitre><tacticid>TA0006</tacticid><techniqueID>T1110</techniqueID></mitre>').block).toEqual({ kind: 'new', tactic: 'TA0006', technique: 'T1110' });
  });

  it.each([
    ['<mitre></mitre>', 'Empty <mitre> block.'],
    ['<mitre><id></id></mitre>', 'Empty <id> in <mitre>; the block is discarded.'],
    ['<mitre><name>x</name></mitre>', 'Invalid <mitre> option <name>; the block is discarded.'],
    ['<mitre><id>T1</id><techniqueID>T1</techniqueID></mitre>', 'A <mitre> block mixes <id> with <tacticID>/<techniqueID>; the block is discarded.'],
    ['<mitre><techniqueID>T1</techniqueID></mitre>', 'A <mitre> block needs exactly one <tacticID> and one <techniqueID>; the block is discarded.'],
  ])('discards %s', (xml, warning) => {
    expect(block(xml)).toEqual({ block: undefined, warnings: [warning] });
  });
});
