// The attributes of `<rule>` (rule-language.md §1.3; rules.c, getattributes): id, level and the
// options that shape correlation and ordering. Any unknown attribute or bad value is fatal.
import { asciiLower } from './ascii-lower.js';
import type { RuleProblems } from './rule-problems.js';
import type { XmlElement } from './xml-reader.js';

/** `analysisd.default_timeframe`. */
const DEFAULT_TIMEFRAME = 360;

const isNum = (s: string): boolean => /^[0-9]+$/.test(s);

export interface RuleAttributes {
  readonly id: number;
  readonly level: number;
  readonly internalLevel: number;
  readonly need: number;
  readonly timeframe: number;
  readonly ignore: number;
  readonly maxsize: number;
  readonly noalert: boolean;
  readonly overwrite: boolean;
}

/** §1.3 rule attributes (rules.c, getattributes); undefined after a fatal problem. */
export function parseRuleAttributes(el: XmlElement, p: RuleProblems): RuleAttributes | undefined {
  if (el.attributes.length === 0) {
    p.error(el.line, 'Invalid rule: it must have an id and a level at least.');
    return undefined;
  }
  let id: number | undefined;
  let level: number | undefined;
  let need = 0;
  let timeframe = DEFAULT_TIMEFRAME;
  let ignore = 0;
  let maxsize = 0;
  let accuracy = 1;
  let noalert = false;
  let overwrite = false;
  for (const { name, value } of el.attributes) {
    const fail = (what: string): undefined => {
      p.error(el.line, `Invalid ${what} "${value}".`);
      return undefined;
    };
    switch (asciiLower(name)) {
      case 'id':
        if (!isNum(value) || value.length > 6) return fail('rule id (digits only, at most 6)');
        id = parseInt(value, 10);
        break;
      case 'level':
        // A non-numeric level is ignored here and then reported as missing, like Wazuh.
        if (isNum(value)) {
          level = parseInt(value, 10);
          if (level > 16) return fail('level (0 to 16)');
        }
        break;
      case 'maxsize':
        if (!isNum(value)) return fail('maxsize');
        maxsize = parseInt(value.slice(0, 4), 10);
        break;
      case 'timeframe':
        if (!isNum(value)) return fail('timeframe');
        timeframe = parseInt(value.slice(0, 5), 10);
        break;
      case 'frequency': {
        const f = isNum(value) ? parseInt(value, 10) : NaN;
        if (!(f >= 2 && f <= 9999)) return fail('frequency (2 to 9999)');
        need = f - 2;
        break;
      }
      case 'accuracy':
        if (!isNum(value)) return fail('accuracy');
        accuracy = parseInt(value.slice(0, 4), 10);
        break;
      case 'ignore':
        if (!isNum(value)) return fail('ignore');
        ignore = parseInt(value.slice(0, 6), 10);
        break;
      case 'noalert':
        if (value === '1') noalert = true;
        else if (value === '0') noalert = false;
        else p.warn(el.line, `Invalid value "${value}" for noalert (expected 0 or 1); treated as 0.`);
        break;
      case 'overwrite':
        if (value === 'yes') overwrite = true;
        else if (value === 'no') overwrite = false;
        else return fail('overwrite (yes or no)');
        break;
      default:
        p.error(el.line, `Invalid rule attribute "${name}". Only id, level, maxsize, timeframe, frequency, accuracy, ignore, noalert and overwrite are allowed.`);
        return undefined;
    }
  }
  if (id === undefined || level === undefined) {
    p.error(el.line, 'No rule id or level specified.');
    return undefined;
  }
  p.setRule(id);
  // §2.1: level 0 ranks as 99; with accuracy="0" the level is not scaled.
  const internalLevel = (level === 0 ? 99 : level) * (accuracy !== 0 ? 100 : 1);
  return { id, level, internalLevel, need, timeframe, ignore, maxsize, noalert, overwrite };
}
