// Splits a rule's group string into the alert's `rule.groups` and compliance arrays
// (rule-language.md §9; json_extended.c, W_JSON_ParseGroups). Done once per rule at load.
import { fromBytes, type ByteString } from '../bytes.js';

export type ComplianceKey = 'pci_dss' | 'cis' | 'gdpr' | 'gpg13' | 'hipaa' | 'nist_800_53' | 'tsc';

export type GroupFields = { readonly groups: readonly string[] } & Partial<Record<ComplianceKey, readonly string[]>>;

// Tested in this order, case-sensitively; the first matching prefix wins.
const PREFIXES: ReadonlyArray<readonly [string, ComplianceKey]> = [
  ['pci_dss_', 'pci_dss'],
  ['cis_', 'cis'],
  ['gdpr_', 'gdpr'],
  ['gpg13_', 'gpg13'],
  ['hipaa_', 'hipaa'],
  ['nist_800_53_', 'nist_800_53'],
  ['tsc_', 'tsc'],
];

/** Only the first 1023 bytes are used; empty tokens are dropped, tokens are not trimmed. */
export function splitGroups(groupString: ByteString): GroupFields {
  const groups: string[] = [];
  const compliance: Partial<Record<ComplianceKey, string[]>> = {};
  for (const token of groupString.slice(0, 1023).split(',')) {
    if (token === '') continue;
    const prefix = PREFIXES.find(([p]) => token.startsWith(p));
    if (prefix === undefined) {
      groups.push(fromBytes(token));
    } else {
      (compliance[prefix[1]] ??= []).push(fromBytes(token.slice(prefix[0].length)));
    }
  }
  return { groups, ...compliance };
}
