// Decodes one CloudTrail record for the rule engine (sync's hot path, and `rules test` lines that are
// records): Wazuh's view of it — the AWS module's envelope through the json decoder
// (rule-language.md §11.3, §7) — plus the static fields and `log` that issue 3 adds on top.
import { isIP } from 'node:net';
import { toBytes } from '../bytes.js';
import { buildAwsEnvelope, type TrailLogInfo } from './aws-envelope.js';
import { flattenJson } from './flatten.js';
import { utf16ToCString } from './json-text.js';
import type { DecodedEvent, StaticField } from './types.js';

/** Pre-decoding `location` of the AWS module's events (§3.7). */
export const CLOUDTRAIL_LOCATION = 'Wazuh-AWS';

/** Pre-decoding `hostname`: Wazuh puts the manager's host name there (§3.7); ctindex a fixed name. */
export const CLOUDTRAIL_HOSTNAME = 'ctindex';

/** A CloudTrail record: an object with `eventVersion` and `eventSource`. */
export function isCloudTrailRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.hasOwn(value, 'eventVersion') &&
    Object.hasOwn(value, 'eventSource')
  );
}

/**
 * `record` comes straight from `JSON.parse` and is walked as it is, never re-serialised for the walk.
 * One ordering difference from Wazuh remains: `JSON.parse` moves integer-like keys (`"0"`, `"42"`)
 * to the front of their object, where Python keeps document order.
 */
export function decodeCloudTrailRecord(record: Readonly<Record<string, unknown>>, info: TrailLogInfo): DecodedEvent {
  // The envelope's top-level keys are `integration` and `aws`, so §7.3 routes nothing: as §3.5 says,
  // Wazuh leaves every static field of a CloudTrail event absent.
  const flat = flattenJson(buildAwsEnvelope(record, info), utf16ToCString);
  fillStatics(flat.statics, record);
  const eventTime = stringAt(record, 'eventTime');
  const eventTimeMs = eventTime === undefined ? Number.NaN : Date.parse(eventTime);
  return {
    // Issue 3: `<match>`/`<regex>` see the record's compact JSON. (Wazuh's full_log would be the
    // envelope as Python's json.dumps spaces it, with ", " and ": ".)
    log: toBytes(JSON.stringify(record)),
    fields: flat.fields,
    fieldIndex: flat.fieldIndex,
    statics: flat.statics,
    decoder: 'json',
    location: CLOUDTRAIL_LOCATION,
    hostname: CLOUDTRAIL_HOSTNAME,
    agentId: '000',
    eventTimeMs: Number.isNaN(eventTimeMs) ? undefined : eventTimeMs,
  };
}

/**
 * Issue 3 fills four static fields that Wazuh leaves empty, so rules such as `<action>CreateUser</action>`
 * work. This departs from Wazuh only for rules that test these slots (`<action>`, `<srcip>`, `<user>`,
 * `<id>`, same_/different_ srcip, id, srcuser…).
 * - action = eventName; id = eventID;
 * - srcip = sourceIPAddress when it is an IPv4/IPv6 address (not a service name such as `ec2.amazonaws.com`);
 * - srcuser = userIdentity.userName, else userIdentity.arn (the first non-empty string).
 */
function fillStatics(statics: Partial<Record<StaticField, string>>, record: Readonly<Record<string, unknown>>): void {
  const set = (slot: StaticField, value: string | undefined): void => {
    if (value !== undefined) statics[slot] = utf16ToCString(value);
  };
  set('action', stringAt(record, 'eventName'));
  const sourceIp = stringAt(record, 'sourceIPAddress');
  set('srcip', sourceIp !== undefined && isIP(sourceIp) !== 0 ? sourceIp : undefined);
  const identity = record['userIdentity'];
  set('srcuser', stringAt(identity, 'userName') || stringAt(identity, 'arn') || undefined);
  set('id', stringAt(record, 'eventID'));
}

function stringAt(obj: unknown, key: string): string | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const value = (obj as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}
