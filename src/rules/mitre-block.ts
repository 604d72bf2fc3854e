// One `<mitre>` block of a rule (rule-language.md §1.4, §9; rules.c): old-form `<id>` lists or one
// new-form `<tacticID>` + `<techniqueID>` pair. Malformed blocks are discarded with a warning.
import { fromBytes } from '../bytes.js';
import { asciiLower } from './ascii-lower.js';
import type { RuleProblems } from './rule-problems.js';
import type { XmlElement } from './xml-reader.js';

export type MitreBlock = { readonly kind: 'old'; readonly ids: readonly string[] } | { readonly kind: 'new'; readonly tactic: string; readonly technique: string };

/** One `<mitre>` block; undefined when Wazuh discards it (with a warning). */
export function parseMitreBlock(opt: XmlElement, p: RuleProblems): MitreBlock | undefined {
  if (opt.children.length === 0) {
    p.warn(opt.line, 'Empty <mitre> block.');
    return undefined;
  }
  const ids: string[] = [];
  const tactics: string[] = [];
  const techniques: string[] = [];
  let failed = false;
  for (const c of opt.children) {
    const name = asciiLower(c.name);
    const target = name === 'id' ? ids : name === 'tacticid' ? tactics : name === 'techniqueid' ? techniques : undefined;
    if (target === undefined) {
      p.warn(c.line, `Invalid <mitre> option <${c.name}>; the block is discarded.`);
      failed = true;
    } else if (c.text === '') {
      p.warn(c.line, `Empty <${c.name}> in <mitre>; the block is discarded.`);
      failed = true;
    } else {
      target.push(fromBytes(c.text));
    }
  }
  if (failed) return undefined;
  if (ids.length > 0) {
    if (tactics.length > 0 || techniques.length > 0) {
      p.warn(opt.line, 'A <mitre> block mixes <id> with <tacticID>/<techniqueID>; the block is discarded.');
      return undefined;
    }
    return { kind: 'old', ids };
  }
  const [tactic] = tactics;
  const [technique] = techniques;
  if (tactic === undefined || technique === undefined || tactics.length > 1 || techniques.length > 1) {
    p.warn(opt.line, 'A <mitre> block needs exactly one <tacticID> and one <techniqueID>; the block is discarded.');
    return undefined;
  }
  return { kind: 'new', tactic, technique };
}
