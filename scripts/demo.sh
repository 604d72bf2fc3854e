#!/usr/bin/env bash
# The README's demo: the main job end to end on local defaults. Installs dependencies, starts the
# local services (Elasticsearch + an S3 API server on 127.0.0.1), writes a realistic CloudTrail
# trail into a bucket, runs `ctindex setup` and `ctindex sync`, and prints what landed.
# Services keep running afterwards so you can explore; `npm run services:stop` stops them.
set -euo pipefail
cd "$(dirname "$0")/.."

events=${DEMO_EVENTS:-20000}
bucket=ctindex-demo
namespace=demo

[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
npm run -s build
eval "$(bash scripts/services.sh start)"
export ES_URL CTINDEX_S3_ENDPOINT

# moto accepts any credentials; real AWS would use your usual credential chain instead.
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_REGION=us-east-1
ctindex() { node dist/cli/main.js "$@"; }

start=$(date -u -d '2 days ago' +%Y-%m-%dT00:00:00Z)
echo "== Writing $events CloudTrail events to s3://$bucket/ (2 accounts, 3 regions, from $start)"
ctindex demo-data --out "s3://$bucket/" --s3-endpoint "$CTINDEX_S3_ENDPOINT" --events "$events" \
  --accounts 111122223333,444455556666 --regions us-east-1,eu-west-1,ap-southeast-2 --seed 42 --start "$start"

echo "== Installing index templates and lifecycle"
ctindex setup --es-url "$ES_URL" --namespace "$namespace"

echo "== Syncing"
status=0
ctindex sync --bucket "$bucket" --s3-endpoint "$CTINDEX_S3_ENDPOINT" --es-url "$ES_URL" \
  --namespace "$namespace" --since "$start" || status=$?

echo "== In Elasticsearch"
node --input-type=module - "$ES_URL" "$namespace" <<'JS'
const [esUrl, ns] = process.argv.slice(2);
const post = async (path, body) => (await fetch(`${esUrl}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
await fetch(`${esUrl}/ctindex-*-${ns}/_refresh`, { method: 'POST' });
const r = await post(`ctindex-cloudtrail-${ns}/_search`, {
  size: 0, track_total_hits: true,
  aggs: { alerts: { filter: { range: { 'rule.level': { gte: 3 } } }, aggs: { rules: { terms: { field: 'rule.id', size: 8 }, aggs: { d: { top_hits: { size: 1, _source: ['rule.description', 'rule.level'] } } } } } } },
});
console.log(`documents in ctindex-cloudtrail-${ns}: ${r.hits.total.value}; alerts (level >= 3): ${r.aggregations.alerts.doc_count}`);
for (const b of r.aggregations.alerts.rules.buckets) {
  const src = b.d.hits.hits[0]._source.rule;
  console.log(`  ${String(b.doc_count).padStart(6)} × rule ${b.key} (level ${src.level}), e.g. "${src.description}"`);
}
const burst = await post(`ctindex-cloudtrail-${ns}/_search`, { size: 1, query: { term: { 'rule.id': '80803' } }, _source: ['@timestamp', 'user.name', 'source.ip', 'rule.description'] });
if (burst.hits.hits[0]) console.log('  example break-in alert:', JSON.stringify(burst.hits.hits[0]._source));
JS
echo "Kibana dashboards: ctindex kibana import --kibana-url http://<your-kibana>:5601 (see README)."
exit "$status"
