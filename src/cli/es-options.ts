// The Elasticsearch connection options every ES-facing command shares (flags, or CTINDEX_ES_*
// environment variables through yargs' env prefix). Secrets are read here and go nowhere but the
// client constructor.
import type { Argv } from 'yargs';
import { DEFAULTS } from '../config.js';

export function withEsOptions<T>(y: Argv<T>) {
  return y
    .option('es-url', { type: 'string', describe: 'Elasticsearch URL (CTINDEX_ES_URL)', default: 'http://127.0.0.1:9200' })
    .option('es-cloud-id', { type: 'string', describe: 'Elastic Cloud ID instead of a URL' })
    .option('es-api-key', { type: 'string', describe: 'API key (base64 id:key); prefer the CTINDEX_ES_API_KEY variable' })
    .option('es-username', { type: 'string', describe: 'Basic-auth user' })
    .option('es-password', { type: 'string', describe: 'Basic-auth password; prefer CTINDEX_ES_PASSWORD' })
    .option('es-ca-file', { type: 'string', describe: 'PEM file of a custom CA for TLS' })
    .option('namespace', { type: 'string', describe: 'Suffix of every index ctindex writes (ctindex-cloudtrail-<namespace>)', default: DEFAULTS.namespace });
}
