// The end-of-run summary: a short table for people, one JSON object for machines. Both come from
// the same RunSummary that is stored in the runs index.
import type { RunSummary } from '../pipeline/run-stats.js';

export function formatSummary(s: RunSummary): string {
  const skipped = Object.entries(s.objects.skipped).map(([k, v]) => `${v} ${k}`).join(', ') || '0';
  const problems = Object.entries(s.problems).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
  const levels = Object.entries(s.alerts.byLevel).sort(([a], [b]) => Number(b) - Number(a)).map(([l, n]) => `L${l}: ${n}`).join('  ') || 'none';
  const lines = [
    `ctindex sync ${s.dryRun ? '(dry run) ' : ''}${s.exitCode === 0 ? 'finished' : 'finished with problems'} in ${(s.durationMs / 1000).toFixed(1)} s — run ${s.runId}`,
    `  source        ${s.source}  (namespace ${s.namespace}, shard ${s.shard})`,
    `  partitions    ${s.partitions.synced} synced of ${s.partitions.listed}${s.partitions.busy ? `, ${s.partitions.busy} busy (leased elsewhere)` : ''}`,
    `  files         ${s.objects.read} read, ${s.objects.alreadyDone} already done, skipped ${skipped}, ${s.objects.failed} failed${s.objects.deleted ? `, ${s.objects.deleted} deleted` : ''}`,
    `  events        ${s.records} (${s.eventsPerSecond}/s); indexed ${s.documents.indexed}, already there ${s.documents.duplicates}, dead-lettered ${s.documents.deadLettered}`,
    `  alerts        ${s.alerts.total}  (${levels})`,
    `  problems      ${problems}`,
  ];
  if (s.topRules.length > 0) {
    lines.push('  top rules');
    for (const r of s.topRules) lines.push(`    ${String(r.count).padStart(8)}  ${r.id.padEnd(7)} L${String(r.level).padEnd(3)} ${r.description}`);
  }
  return lines.join('\n');
}

export function printSummary(s: RunSummary, human: boolean): void {
  process.stdout.write(human ? `${formatSummary(s)}\n` : `${JSON.stringify({ summary: s })}\n`);
}
