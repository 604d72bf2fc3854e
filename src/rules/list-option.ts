// One `<list>` condition (rule-language.md §6; rules.c): its field, lookup and check_value, resolved
// against the loaded lists. Bad attributes are fatal; a list that is not loaded skips the rule.
import type { ByteString } from '../bytes.js';
import type { DecodedEvent, StaticField } from '../decoder/types.js';
import { asciiLower } from './ascii-lower.js';
import { type CdbList, compileListLookup, LIST_LOOKUPS, type ListLookup } from './cdb-lists.js';
import { compilePattern, type Matcher, PatternError } from './patterns/pattern.js';
import type { EventCheck } from './rule-definition.js';
import type { RuleProblems } from './rule-problems.js';
import type { XmlElement } from './xml-reader.js';

type ValueOf = (event: DecodedEvent) => ByteString | undefined;
const staticValue = (key: StaticField): ValueOf => (e) => e.statics[key];

/** `<list field>` values that select a static slot (case-insensitive, §6). */
const STATIC_FIELDS: Readonly<Record<string, ValueOf>> = {
  srcip: staticValue('srcip'), srcport: staticValue('srcport'), dstip: staticValue('dstip'), dstport: staticValue('dstport'),
  url: staticValue('url'), id: staticValue('id'), status: staticValue('status'), action: staticValue('action'),
  protocol: staticValue('protocol'), system_name: staticValue('system_name'), data: staticValue('data'),
  extra_data: staticValue('extra_data'), hostname: (e) => e.hostname, program_name: () => undefined,
  // §6: srcuser first, then dstuser.
  user: (e) => e.statics.srcuser ?? e.statics.dstuser,
};

/** One `<list>` (rules.c): its check, 'skip' when the list is not loaded, 'fatal' on bad attributes. */
export function parseListOption(opt: XmlElement, resolveList: (text: string) => CdbList | undefined, p: RuleProblems): EventCheck | 'skip' | 'fatal' {
  if (opt.attributes.length === 0) {
    p.error(opt.line, '<list> needs a field attribute.');
    return 'fatal';
  }
  let lookup: ListLookup = 'match_key';
  let value: ValueOf | undefined;
  let checkValue: Matcher | undefined;
  for (const a of opt.attributes) {
    const key = asciiLower(a.name);
    if (key === 'lookup') {
      const l = asciiLower(a.value) as ListLookup;
      if (!LIST_LOOKUPS.includes(l)) {
        p.error(opt.line, `Invalid list lookup "${a.value}".`);
        return 'fatal';
      }
      lookup = l;
    } else if (key === 'field') {
      const staticField = Object.hasOwn(STATIC_FIELDS, asciiLower(a.value)) ? STATIC_FIELDS[asciiLower(a.value)] : undefined;
      if (staticField !== undefined) {
        value = staticField;
      } else {
        // §6: a dynamic field is the first space-separated word.
        const name = asciiLower(a.value.replace(/^ +/, '').split(' ')[0] ?? '');
        value = (e) => e.fieldIndex.get(name);
      }
    } else if (key === 'check_value') {
      try {
        checkValue = compilePattern('osmatch', a.value);
      } catch (err) {
        if (!(err instanceof PatternError)) throw err;
        p.error(opt.line, `Invalid check_value "${a.value}": ${err.message}`);
        return 'fatal';
      }
    } else {
      p.error(opt.line, `Invalid <list> attribute "${a.name}".`);
      return 'fatal';
    }
  }
  if (value === undefined) {
    p.error(opt.line, '<list> needs a field attribute.');
    return 'fatal';
  }
  const list = resolveList(opt.text);
  if (list === undefined) return 'skip';
  const test = compileListLookup(list, lookup, checkValue);
  const get = value;
  // §6: an absent value fails, even for the not_* lookups.
  return (e) => {
    const v = get(e);
    return v !== undefined && test(v);
  };
}
