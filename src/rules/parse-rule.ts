// Turns one `<rule>` element into a RuleDefinition the way Wazuh's Rules_OP_ReadRules does
// (rule-language.md §1.3–§1.5, §1.7, §3): attributes, repeated options, defaults, fatal errors
// versus skipped rules. All patterns are compiled here; nothing is parsed again at evaluation.
import { fromBytes, type ByteString } from '../bytes.js';
import type { DecodedEvent, StaticField } from '../decoder/types.js';
import { asciiLower } from './ascii-lower.js';
import type { CdbList } from './cdb-lists.js';
import { COMPILED_RULES } from './compiled-rules.js';
import { parseDayTime } from './day-time.js';
import { DescriptionTemplate } from './description.js';
import { IpList } from './ip-list.js';
import { parseListOption } from './list-option.js';
import { parseMitreBlock } from './mitre-block.js';
import type { MitreCatalog } from './mitre.js';
import { exactValues } from './patterns/exact-match.js';
import { compilePattern, type Matcher, PatternError, type PatternType } from './patterns/pattern.js';
import { requiredLiterals } from './required-literals.js';
import {
  type Category,
  type CorrelationSlot,
  type EventCheck,
  type ExactRequirement,
  type LiteralRequirement,
  finalLevel,
  type RuleDefinition,
} from './rule-definition.js';
import { parseRuleAttributes } from './rule-attributes.js';
import { splitGroups } from './rule-groups.js';
import { RuleProblems } from './rule-problems.js';
import type { RuleProblem } from './types.js';
import { parseWeekDays } from './week-day.js';
import type { XmlElement } from './xml-reader.js';

export interface ParseEnv {
  /** True when a rule with this id is already in the tree (§1.6). */
  readonly isLoaded: (id: number) => boolean;
  /** The loaded list a rule's `<list>` text names, or undefined when it is not declared/loaded. */
  readonly resolveList: (text: string) => CdbList | undefined;
  readonly mitre: MitreCatalog;
}

export type ParsedRule =
  | { readonly outcome: 'loaded'; readonly def: RuleDefinition; readonly problems: readonly RuleProblem[] }
  | { readonly outcome: 'skipped' | 'fatal'; readonly problems: readonly RuleProblem[] };

/** `email_alert_level` of the shipped ossec.conf. */
const EMAIL_ALERT_LEVEL = 12;
/** `analysisd.decoder_order_size`: most `<field>` elements per rule. */
const MAX_FIELDS = 256;

const CATEGORIES: ReadonlySet<string> = new Set<Category>(['firewall', 'ids', 'syslog', 'web-log', 'squid', 'windows', 'ossec']);

/** `<field name>` may not name a static field (case-insensitive). */
const STATIC_FIELD_NAMES: ReadonlySet<string> = new Set([
  'srcip', 'dstip', 'srcgeoip', 'dstgeoip', 'srcport', 'dstport', 'user', 'srcuser', 'dstuser', 'url', 'id', 'data', 'extra_data',
  'status', 'protocol', 'system_name', 'action',
]);

type ValueOf = (event: DecodedEvent) => ByteString | undefined;
const staticValue = (key: StaticField): ValueOf => (e) => e.statics[key];
const absent: ValueOf = () => undefined;

/** Options holding one pattern (§1.4: texts concatenated, last `negate`/`type` wins) and what they test (§3.1). */
const PATTERN_OPTIONS: Readonly<Record<string, { readonly type: PatternType; readonly value: ValueOf }>> = {
  match: { type: 'osmatch', value: (e) => e.log },
  regex: { type: 'osregex', value: (e) => e.log },
  id: { type: 'osmatch', value: staticValue('id') },
  url: { type: 'osmatch', value: staticValue('url') },
  status: { type: 'osmatch', value: staticValue('status') },
  protocol: { type: 'osmatch', value: staticValue('protocol') },
  system_name: { type: 'osmatch', value: staticValue('system_name') },
  data: { type: 'osmatch', value: staticValue('data') },
  extra_data: { type: 'osmatch', value: staticValue('extra_data') },
  srcport: { type: 'osmatch', value: staticValue('srcport') },
  dstport: { type: 'osmatch', value: staticValue('dstport') },
  hostname: { type: 'osmatch', value: (e) => e.hostname },
  location: { type: 'osmatch', value: (e) => e.location },
  // Never set for JSON events (§3.7): such a condition always fails.
  program_name: { type: 'osmatch', value: absent },
  srcgeoip: { type: 'osmatch', value: absent },
  dstgeoip: { type: 'osmatch', value: absent },
  // §3.1: dstuser when present, otherwise srcuser.
  user: { type: 'osmatch', value: (e) => e.statics.dstuser ?? e.statics.srcuser },
  action: { type: 'string', value: staticValue('action') },
};

/** §5.5: which slot each same_… or different_… element compares. */
const SAME_OPTIONS: Readonly<Record<string, CorrelationSlot>> = {
  same_source_ip: 'srcip', same_srcip: 'srcip', same_dstip: 'dstip', same_src_port: 'srcport', same_srcport: 'srcport',
  same_dst_port: 'dstport', same_dstport: 'dstport', same_protocol: 'protocol', same_action: 'action', same_id: 'id',
  same_url: 'url', same_data: 'data', same_extra_data: 'extra_data', same_status: 'status', same_system_name: 'system_name',
  same_srcgeoip: 'srcgeoip', same_dstgeoip: 'dstgeoip', same_location: 'location', same_srcuser: 'srcuser', same_user: 'dstuser',
};
const DIFFERENT_OPTIONS: Readonly<Record<string, CorrelationSlot>> = {
  different_url: 'url', different_srcip: 'srcip', not_same_source_ip: 'srcip', different_srcgeoip: 'srcgeoip', different_dstip: 'dstip',
  different_src_port: 'srcport', different_srcport: 'srcport', different_dst_port: 'dstport', different_dstport: 'dstport',
  different_location: 'location', different_protocol: 'protocol', different_action: 'action', different_srcuser: 'srcuser',
  different_user: 'dstuser', not_same_user: 'dstuser', different_id: 'id', not_same_id: 'id', different_data: 'data',
  different_extra_data: 'extra_data', different_status: 'status', different_system_name: 'system_name', different_dstgeoip: 'dstgeoip',
};

/** rules.c compares these option names with strcmp, all others with strcasecmp. */
const CASE_SENSITIVE_OPTIONS: ReadonlySet<string> = new Set([
  'same_id', 'same_url', 'same_data', 'same_extra_data', 'same_status', 'same_system_name', 'same_srcgeoip', 'same_dstgeoip',
  'different_srcip', 'not_same_source_ip', 'different_protocol', 'different_action', 'different_id', 'not_same_id', 'different_url',
  'different_data', 'different_extra_data', 'different_status', 'different_system_name', 'different_srcgeoip', 'different_dstgeoip',
]);

/** Attributes each option understands; Wazuh ignores any other (we warn). `<list>` checks its own. */
const OPTION_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(Object.keys(PATTERN_OPTIONS).map((name) => [name, ['negate', 'type']])),
  srcip: ['negate'],
  dstip: ['negate'],
  field: ['name', 'negate', 'type'],
  info: ['type'],
};

const OPTION_KEYWORDS: ReadonlySet<string> = new Set(['alert_by_email', 'no_email_alert', 'log_alert', 'no_log', 'no_ar', 'no_full_log', 'no_counter']);

const isNum = (s: string): boolean => /^[0-9]+$/.test(s);

interface PatternOption {
  text: ByteString;
  negate: boolean;
  type: PatternType;
  line: number;
}

interface FieldCondition {
  readonly name: string;
  readonly matcher: Matcher;
  readonly negate: boolean;
  readonly exact: readonly ByteString[] | undefined;
  readonly literals: readonly ByteString[] | undefined;
}

function attr(el: XmlElement, name: string): ByteString | undefined {
  return el.attributes.find((a) => a.name === name)?.value;
}

/** w_check_attr_negate: yes/no (any case); anything else warns and means no. */
function negateOf(el: XmlElement, p: RuleProblems): boolean {
  const v = attr(el, 'negate');
  if (v === undefined) return false;
  const l = asciiLower(v);
  if (l === 'yes') return true;
  if (l !== 'no') p.warn(el.line, `Invalid value "${v}" for negate (expected yes or no); treated as no.`);
  return false;
}

/** w_check_attr_type: osmatch/osregex/pcre2 (any case); anything else warns and keeps the default. */
function typeOf(el: XmlElement, fallback: PatternType, p: RuleProblems): PatternType {
  const v = attr(el, 'type');
  if (v === undefined) return fallback;
  const l: string = asciiLower(v);
  if (l === 'osmatch' || l === 'osregex' || l === 'pcre2') return l;
  p.warn(el.line, `Invalid value "${v}" for type (expected osmatch, osregex or pcre2); using ${fallback}.`);
  return fallback;
}

/** Attributes other than `allowed` are ignored by Wazuh; we say so. */
function warnUnusedAttributes(el: XmlElement, allowed: readonly string[], p: RuleProblems): void {
  for (const a of el.attributes) {
    if (!allowed.includes(a.name)) p.warn(el.line, `Attribute "${a.name}" is not supported on <${el.name}> and is ignored.`);
  }
}

/** Parses one `<rule>` of a `<group name=…>` wrapper. */
export function parseRule(el: XmlElement, groupName: ByteString, file: string, env: ParseEnv): ParsedRule {
  const p = new RuleProblems(file);
  const fatal = (): ParsedRule => ({ outcome: 'fatal', problems: p.list });
  const parsedAttrs = parseRuleAttributes(el, p);
  if (parsedAttrs === undefined) return fatal();
  // §1.6, checked before the options are read (as rules.c does): a duplicate id is skipped and an
  // overwrite of a missing id is an ordinary new rule.
  let attrs = parsedAttrs;
  if (env.isLoaded(attrs.id)) {
    if (!attrs.overwrite) {
      p.warn(el.line, `Rule skipped: duplicate rule id ${attrs.id} (use overwrite="yes" to replace it).`);
      return { outcome: 'skipped', problems: p.list };
    }
  } else if (attrs.overwrite) {
    p.warn(el.line, `overwrite="yes" but rule ${attrs.id} does not exist yet; loaded as a new rule.`);
    attrs = { ...attrs, overwrite: false };
  }
  if (el.children.length === 0) {
    p.error(el.line, 'Rule without any option.');
    return fatal();
  }

  const patterns = new Map<string, PatternOption>();
  const fields: FieldCondition[] = [];
  const srcip = new IpList();
  const dstip = new IpList();
  let srcipNegate: boolean | undefined;
  let dstipNegate: boolean | undefined;
  const lists: EventCheck[] = [];
  const sameSlots: CorrelationSlot[] = [];
  const differentSlots: CorrelationSlot[] = [];
  const sameFields: string[] = [];
  const differentFields: string[] = [];
  const mitreIds: string[] = [];
  const mitrePairs: Array<[string, string]> = [];
  let mitreOld = false;
  let mitreNew = false;
  let description: ByteString | undefined;
  let groupString = groupName;
  let info: ByteString | undefined;
  let cve: ByteString | undefined;
  let decodedAs: string | undefined;
  let category: Category = 'syslog';
  let dayTime: ReturnType<typeof parseDayTime>;
  let weekDays: ReturnType<typeof parseWeekDays>;
  let compiled: ((e: DecodedEvent) => boolean) | undefined;
  let ifSid: ByteString | undefined;
  let ifLevel: ByteString | undefined;
  let ifGroup: ByteString | undefined;
  let ifMatchedSid: number | undefined;
  let ifMatchedGroup: ByteString | undefined;
  let ifMatchedRegex: ByteString | undefined;
  let context = false;
  let checkDiff = false;
  let globalFrequency = false;
  let ifFts = false;
  let mail = attrs.level >= EMAIL_ALERT_LEVEL;
  let noCounter = false;
  let skip: string | undefined;

  const concat = (prev: ByteString | undefined, text: ByteString): ByteString => (prev ?? '') + text;

  options: for (const opt of el.children) {
    const raw = opt.name;
    // A few options are compared case-sensitively in rules.c: keep any other spelling unknown.
    const name = CASE_SENSITIVE_OPTIONS.has(asciiLower(raw)) ? raw : asciiLower(raw);
    const text = opt.text;
    if (name !== 'list') warnUnusedAttributes(opt, (Object.hasOwn(OPTION_ATTRIBUTES, name) ? OPTION_ATTRIBUTES[name] : undefined) ?? [], p);
    const patternOption = Object.hasOwn(PATTERN_OPTIONS, name) ? PATTERN_OPTIONS[name] : undefined;
    if (patternOption !== undefined) {
      const prev = patterns.get(name);
      patterns.set(name, { text: concat(prev?.text, text), negate: negateOf(opt, p), type: typeOf(opt, patternOption.type, p), line: prev?.line ?? opt.line });
      continue;
    }
    if (Object.hasOwn(SAME_OPTIONS, name)) {
      sameSlots.push(SAME_OPTIONS[name] as CorrelationSlot);
      continue;
    }
    if (Object.hasOwn(DIFFERENT_OPTIONS, name)) {
      differentSlots.push(DIFFERENT_OPTIONS[name] as CorrelationSlot);
      continue;
    }
    switch (name) {
      case 'decoded_as':
        if (text === '') {
          p.error(opt.line, 'Invalid decoder name "".');
          return fatal();
        }
        decodedAs = text;
        break;
      case 'category':
        if (!CATEGORIES.has(text)) {
          p.error(opt.line, `Invalid category "${text}".`);
          return fatal();
        }
        category = text as Category;
        break;
      case 'description':
        // §1.4: only the first newline of each element becomes a space.
        description = concat(description, text.replace('\n', ' '));
        break;
      case 'group':
        groupString += text.replace(/\n/g, '');
        break;
      case 'info': {
        const type = attr(opt, 'type');
        if (type !== undefined && !['text', 'link', 'cve', 'osvdb'].includes(type)) {
          p.warn(opt.line, `Invalid info type "${type}" (expected text, link, cve or osvdb).`);
        }
        info = concat(info, text);
        break;
      }
      case 'cve':
        cve = concat(cve, text);
        break;
      case 'time':
        dayTime = parseDayTime(text);
        if (dayTime === undefined) {
          p.error(opt.line, `Invalid time "${text}".`);
          return fatal();
        }
        break;
      case 'weekday':
        weekDays = parseWeekDays(text);
        if (weekDays === undefined) {
          p.error(opt.line, `Invalid weekday "${text}".`);
          return fatal();
        }
        break;
      case 'srcip':
      case 'dstip': {
        const list = name === 'srcip' ? srcip : dstip;
        if (!list.add(text)) {
          p.error(opt.line, `Invalid IP address "${text}".`);
          return fatal();
        }
        if (name === 'srcip') srcipNegate = negateOf(opt, p);
        else dstipNegate = negateOf(opt, p);
        break;
      }
      case 'field': {
        if (fields.length >= MAX_FIELDS) {
          p.error(opt.line, `More than ${MAX_FIELDS} <field> conditions.`);
          return fatal();
        }
        const fieldName = attr(opt, 'name');
        if (fieldName === undefined) {
          p.error(opt.line, '<field> without a name attribute.');
          return fatal();
        }
        if (STATIC_FIELD_NAMES.has(asciiLower(fieldName))) {
          p.error(opt.line, `<field name="${fieldName}"> names a static field; use <${asciiLower(fieldName)}> instead.`);
          return fatal();
        }
        const type = typeOf(opt, 'osregex', p);
        const negate = negateOf(opt, p);
        try {
          const matcher = compilePattern(type, text);
          const exact = negate || (type !== 'osmatch' && type !== 'osregex') ? undefined : exactValues(type, text);
          // Exact values already index the children (rule-tree.ts); literals would only repeat them.
          const literals = negate || exact !== undefined ? undefined : requiredLiterals(type, text);
          fields.push({ name: asciiLower(fieldName), matcher, negate, exact, literals });
        } catch (err) {
          if (!(err instanceof PatternError)) throw err;
          p.error(opt.line, `Invalid ${type} pattern in <field name="${fieldName}">: ${err.message}`);
          return fatal();
        }
        break;
      }
      case 'list': {
        const outcome = parseListOption(opt, env.resolveList, p);
        if (outcome === 'fatal') return fatal();
        if (outcome === 'skip') {
          skip = `list "${text}" is not loaded (use --lists DIR)`;
          break options;
        }
        lists.push(outcome);
        break;
      }
      case 'compiled_rule':
        compiled = COMPILED_RULES.get(text);
        if (compiled === undefined) {
          p.error(opt.line, `Compiled rule not found: "${text}".`);
          return fatal();
        }
        break;
      case 'if_sid':
        ifSid = concat(ifSid, text);
        break;
      case 'if_level':
        if (!isNum(text)) {
          skip = `invalid if_level "${text}"`;
          break options;
        }
        ifLevel = concat(ifLevel, text);
        break;
      case 'if_group':
        ifGroup = concat(ifGroup, text);
        break;
      case 'if_matched_regex':
        context = true;
        ifMatchedRegex = concat(ifMatchedRegex, text);
        break;
      case 'if_matched_group':
        context = true;
        ifMatchedGroup = concat(ifMatchedGroup, text);
        break;
      case 'if_matched_sid':
        context = true;
        if (!isNum(text)) {
          skip = `invalid if_matched_sid "${text}"`;
          break options;
        }
        ifMatchedSid = parseInt(text, 10);
        break;
      case 'same_field':
        sameFields.push(asciiLower(text));
        break;
      case 'different_field':
      case 'not_same_field':
        differentFields.push(asciiLower(text));
        break;
      case 'same_agent':
      case 'not_same_agent':
        p.warn(opt.line, `<${name}> is deprecated and ignored.`);
        break;
      case 'global_frequency':
        globalFrequency = true;
        break;
      case 'check_diff':
        context = true;
        checkDiff = true;
        break;
      case 'if_fts':
        ifFts = true;
        break;
      case 'options':
        if (!OPTION_KEYWORDS.has(text)) {
          p.error(opt.line, `Invalid <options> value "${text}".`);
          return fatal();
        }
        if (text === 'alert_by_email') mail = true;
        else if (text === 'no_email_alert') mail = false;
        else if (text === 'no_counter') noCounter = true;
        break;
      case 'ignore':
      case 'check_if_ignored':
        // Field-based suppression never suppresses in practice (§12); the syntax is still checked.
        if (text.split(',').some((w) => w.replace(/^ +/, '').split(' ')[0] === '')) {
          p.error(opt.line, `Wrong ${name} option "${text}".`);
          return fatal();
        }
        break;
      case 'mitre': {
        const block = parseMitreBlock(opt, p);
        if (block === undefined) break;
        if (block.kind === 'old') {
          if (mitreNew) {
            p.warn(opt.line, 'Old and new <mitre> formats combined; the old technique ids are discarded.');
            mitreIds.length = 0;
            break;
          }
          mitreOld = true;
          for (const id of block.ids) if (!mitreIds.includes(id)) mitreIds.push(id);
        } else {
          mitreNew = true;
          if (mitreOld) {
            p.warn(opt.line, 'Old and new <mitre> formats combined; the old technique ids are discarded.');
            mitreIds.length = 0;
            mitreOld = false;
          }
          if (!mitrePairs.some(([t, q]) => t === block.tactic && q === block.technique)) mitrePairs.push([block.tactic, block.technique]);
        }
        break;
      }
      default:
        p.error(opt.line, `Invalid option <${raw}>.`);
        return fatal();
    }
  }

  // §1.7: if_sid must be digits, commas and spaces (PCRE2 `$` also matches before a final newline).
  if (skip === undefined && ifSid !== undefined && !/^[0-9, ]+\n?$/.test(ifSid)) skip = `invalid if_sid "${ifSid}"`;
  if (skip !== undefined) {
    p.warn(el.line, `Rule skipped: ${skip}.`);
    return { outcome: 'skipped', problems: p.list };
  }
  if (description === undefined) {
    p.error(el.line, 'Rule without a <description>.');
    return fatal();
  }
  const hasCorrelationOptions =
    attrs.need > 0 || globalFrequency || sameSlots.length + sameFields.length + differentSlots.length + differentFields.length > 0;
  if (hasCorrelationOptions && !context) {
    p.error(el.line, 'frequency, same_*, different_* and global_frequency need if_matched_sid, if_matched_group or if_matched_regex.');
    return fatal();
  }
  // §2.3: a composite without parents hangs below the rules it correlates (not for overwrites, as in rules.c).
  if (ifMatchedGroup !== undefined && !attrs.overwrite && ifSid === undefined && ifGroup === undefined) ifGroup = ifMatchedGroup;
  if (ifMatchedSid !== undefined && !attrs.overwrite && ifSid === undefined && ifGroup === undefined) ifSid = String(ifMatchedSid);

  const compile = (what: string, type: PatternType, text: ByteString, line: number): Matcher | undefined => {
    try {
      return compilePattern(type, text);
    } catch (err) {
      if (!(err instanceof PatternError)) throw err;
      p.error(line, `Invalid ${type} pattern in <${what}>: ${err.message}`);
      return undefined;
    }
  };
  const patternChecks = new Map<string, EventCheck>();
  for (const [name, option] of patterns) {
    const matcher = compile(name, option.type, option.text, option.line);
    const value = (PATTERN_OPTIONS[name] as { value: ValueOf }).value;
    const negate = option.negate;
    // §3.1: an absent value fails whatever `negate` says.
    if (matcher !== undefined) {
      patternChecks.set(name, (e) => {
        const v = value(e);
        return v !== undefined && matcher.test(v) !== negate;
      });
    }
  }
  const matchedGroup = ifMatchedGroup === undefined ? undefined : compile('if_matched_group', 'osmatch', ifMatchedGroup, el.line);
  const matchedRegex = ifMatchedRegex === undefined ? undefined : compile('if_matched_regex', 'osregex', ifMatchedRegex, el.line);
  if (p.list.some((x) => x.severity === 'error')) return fatal();

  // §3.8 evaluation order.
  const checks: EventCheck[] = [];
  const add = (check: EventCheck | undefined): void => {
    if (check !== undefined) checks.push(check);
  };
  if (decodedAs !== undefined) {
    const decoder = decodedAs;
    add((e) => e.decoder === decoder);
  }
  for (const name of ['program_name', 'id', 'system_name', 'protocol', 'match', 'regex', 'action', 'url', 'location']) add(patternChecks.get(name));
  for (const f of fields) {
    const { name, matcher, negate } = f;
    add((e) => {
      const v = e.fieldIndex.get(name);
      return v !== undefined && matcher.test(v) !== negate;
    });
  }
  if (srcipNegate !== undefined) {
    const neg = srcipNegate;
    add((e) => e.statics.srcip !== undefined && srcip.test(e.statics.srcip) !== neg);
  }
  if (dstipNegate !== undefined) {
    const neg = dstipNegate;
    add((e) => e.statics.dstip !== undefined && dstip.test(e.statics.dstip) !== neg);
  }
  add(patternChecks.get('srcport'));
  add(patternChecks.get('dstport'));
  if (compiled !== undefined) {
    const fn = compiled;
    add((e) => fn(e));
  }
  for (const name of ['user', 'srcgeoip', 'dstgeoip']) add(patternChecks.get(name));
  if (attrs.maxsize > 0) {
    const min = attrs.maxsize;
    add((e) => e.log.length >= min);
  }
  if (dayTime !== undefined) {
    const t = dayTime;
    add((_e, ctx) => t.test(ctx.timeOfDay()));
  }
  if (weekDays !== undefined) {
    const w = weekDays;
    add((_e, ctx) => w.test(ctx.weekDay()));
  }
  for (const name of ['data', 'extra_data', 'hostname', 'status']) add(patternChecks.get(name));
  if (checkDiff) {
    const id = attrs.id;
    add((e, ctx) => ctx.checkDiff(id, e));
  }
  // §3.1: no first-time-seen store exists for the json decoder, so if_fts never holds.
  if (ifFts) add(() => false);
  checks.push(...lists);

  const requirements: ExactRequirement[] = [];
  if (decodedAs !== undefined) requirements.push({ key: 'decoder', values: [decodedAs] });
  for (const f of fields) if (f.exact !== undefined) requirements.push({ key: `field:${f.name}`, values: f.exact });
  // Literals some non-negated condition needs in `log` or a field (negate passes on their absence).
  const literalRequirements: LiteralRequirement[] = [];
  for (const name of ['match', 'regex']) {
    const option = patterns.get(name);
    const literals = option === undefined || option.negate ? undefined : requiredLiterals(option.type, option.text);
    if (literals !== undefined) literalRequirements.push({ source: 'log', literals });
  }
  for (const f of fields) if (f.literals !== undefined) literalRequirements.push({ source: `field:${f.name}`, literals: f.literals });

  const def: RuleDefinition = {
    id: attrs.id,
    file,
    line: el.line,
    internalLevel: attrs.internalLevel,
    level: finalLevel(attrs.internalLevel),
    noalert: attrs.noalert,
    overwrite: attrs.overwrite,
    need: attrs.need,
    timeframe: attrs.timeframe,
    ignore: attrs.ignore,
    mail,
    noCounter,
    category,
    groupString,
    groupFields: splitGroups(groupString),
    description: new DescriptionTemplate(description),
    checks,
    requirements,
    literalRequirements,
    neverMatches: ifFts || patterns.has('program_name') || patterns.has('srcgeoip') || patterns.has('dstgeoip'),
    context,
    checkDiff,
    globalFrequency,
    ifMatchedRegex: matchedRegex,
    same: { slots: sameSlots, fields: sameFields },
    different: { slots: differentSlots, fields: differentFields },
    mitre: env.mitre.resolve({ ids: mitreIds, pairs: mitrePairs }),
    info: info === undefined ? undefined : fromBytes(info),
    cve: cve === undefined ? undefined : fromBytes(cve),
    ifSid,
    ifLevel,
    ifGroup,
    ifMatchedSid,
    ifMatchedGroup: matchedGroup,
  };
  return { outcome: 'loaded', def, problems: p.list };
}
