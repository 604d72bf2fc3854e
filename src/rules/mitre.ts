// ATT&CK names for `rule.mitre` (rule-language.md §9). Wazuh reads them from its mitre.db, which we
// cannot ship; ctindex ships public ATT&CK facts in rules/mitre-attack.json instead.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { shippedRulesDir } from '../package-paths.js';
import type { RuleMatch } from './types.js';

export interface MitreTechnique {
  readonly id: string;
  readonly name: string;
  readonly tactics: ReadonlyArray<{ readonly id: string; readonly name: string }>;
}

/** A rule's `<mitre>` blocks after loading: old-form ids, or new-form (tactic, technique) pairs. */
export interface MitreRefs {
  readonly ids: readonly string[];
  readonly pairs: ReadonlyArray<readonly [tacticId: string, techniqueId: string]>;
}

export class MitreCatalog {
  readonly #techniques: ReadonlyMap<string, MitreTechnique>;

  private constructor(techniques: ReadonlyMap<string, MitreTechnique>) {
    this.#techniques = techniques;
  }

  /** Builds a catalog from the mitre-attack.json shape; throws on anything else. */
  static fromJson(data: unknown): MitreCatalog {
    const root = data as { tactics?: unknown; techniques?: unknown } | null;
    if (typeof root !== 'object' || root === null || typeof root.tactics !== 'object' || typeof root.techniques !== 'object') {
      throw new Error('mitre-attack.json: expected {"tactics": {...}, "techniques": {...}}');
    }
    const tactics = root.tactics as Record<string, unknown>;
    const techniques = new Map<string, MitreTechnique>();
    for (const [id, raw] of Object.entries(root.techniques as Record<string, unknown>)) {
      const t = raw as { name?: unknown; tactics?: unknown };
      if (typeof t.name !== 'string' || !Array.isArray(t.tactics)) throw new Error(`mitre-attack.json: bad technique ${id}`);
      const ts = t.tactics.map((tid: unknown) => {
        const name = typeof tid === 'string' ? tactics[tid] : undefined;
        if (typeof tid !== 'string' || typeof name !== 'string') throw new Error(`mitre-attack.json: ${id} names unknown tactic ${String(tid)}`);
        return { id: tid, name };
      });
      techniques.set(id, { id, name: t.name, tactics: ts });
    }
    return new MitreCatalog(techniques);
  }

  technique(id: string): MitreTechnique | undefined {
    return this.#techniques.get(id);
  }

  /**
   * The alert's `rule.mitre` (to_json.c): new-form pairs win when present and are kept only when
   * the technique has that tactic; old-form ids are listed as written with the names of the known
   * ones. Without any confirmed tactic the whole object is left out.
   */
  resolve(refs: MitreRefs): RuleMatch['mitre'] {
    const tactic: string[] = [];
    const technique: string[] = [];
    const addTactic = (name: string): void => {
      if (!tactic.includes(name)) tactic.push(name);
    };
    if (refs.pairs.length > 0) {
      const id: string[] = [];
      for (const [tacticId, techniqueId] of refs.pairs) {
        const t = this.technique(techniqueId);
        const confirmed = t?.tactics.find((x) => x.id === tacticId);
        if (t === undefined || confirmed === undefined) continue;
        addTactic(confirmed.name);
        if (!technique.includes(t.name)) {
          id.push(t.id);
          technique.push(t.name);
        }
      }
      return tactic.length > 0 ? { id, tactic, technique } : undefined;
    }
    for (const techniqueId of refs.ids) {
      const t = this.technique(techniqueId);
      if (t === undefined) continue;
      for (const x of t.tactics) addTactic(x.name);
      technique.push(t.name);
    }
    return tactic.length > 0 ? { id: [...refs.ids], tactic, technique } : undefined;
  }
}

let shipped: MitreCatalog | undefined;

/** The catalog shipped in rules/mitre-attack.json (read once). */
export function shippedMitreCatalog(): MitreCatalog {
  shipped ??= MitreCatalog.fromJson(JSON.parse(readFileSync(path.join(shippedRulesDir, 'mitre-attack.json'), 'utf8')) as unknown);
  return shipped;
}
