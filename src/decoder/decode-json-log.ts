// Decodes one raw log line for `ctindex rules test` as wazuh-logtest would: pre-decoding
// (rule-language.md §3.7), then the stock `json` decoder's prematch, parse and flattening (§7).
import { toBytes } from '../bytes.js';
import { flattenJson, type FlatJson } from './flatten.js';
import { bytesAsIs, JsonObject, parseJsonText, utf16ToCString } from './json-text.js';
import type { DecodedEvent } from './types.js';

/** The json decoder's prematch, osregex `^{\s*"`; osregex `\s` is a space only (§4.3, §7.1). */
const JSON_PREMATCH = /^\{ *"/;

/**
 * The decoder name of a line the json decoder does not claim. No Wazuh decoder is named '', so
 * `<decoded_as>json</decoded_as>` fails, as it does in Wazuh for a line some other decoder (or none) takes.
 */
export const NOT_DECODED = '';

/**
 * `log` is the line as received, as a C string (UTF-8 bytes up to the first NUL). A line starting
 * `{`, spaces, `"` is decoded as `json`; whatever follows the first JSON value is ignored, and a
 * parse failure leaves a `json` event with no fields. Agent `000`; no event time (generic JSON).
 */
export function decodeJsonLog(line: string, pre: { readonly location: string; readonly hostname: string }): DecodedEvent {
  const log = utf16ToCString(line);
  const claimed = JSON_PREMATCH.test(log);
  const parsed = claimed ? parseJsonText(log) : undefined;
  // The prematch guarantees a leading `{`, so a successful parse is an object.
  const flat: FlatJson =
    parsed?.ok === true && parsed.value instanceof JsonObject
      ? flattenJson(parsed.value, bytesAsIs)
      : { fields: [], fieldIndex: new Map(), statics: {} };
  return {
    log,
    fields: flat.fields,
    fieldIndex: flat.fieldIndex,
    statics: flat.statics,
    decoder: claimed ? 'json' : NOT_DECODED,
    location: toBytes(pre.location),
    hostname: toBytes(pre.hostname),
    agentId: '000',
    eventTimeMs: undefined,
  };
}
