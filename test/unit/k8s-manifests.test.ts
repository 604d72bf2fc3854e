// The Kubernetes deployment in deploy/kubernetes/: every object is checked against the Kubernetes
// API schemas (kubernetes-models), each kustomization is rendered (by a small renderer for the
// features these use, cross-checked against `kubectl kustomize` where kubectl is installed), and
// each rendering is held to the deployment policy: schedule, deadlines, a restricted
// securityContext, pinned images, resources, placeholder-only secrets, CTINDEX_* variables the
// command accepts, and a consistent shard count.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CronJob, Job, type ICronJob, type IJob } from 'kubernetes-models/batch/v1';
import { ConfigMap, Namespace, Secret, ServiceAccount, type IConfigMap, type IContainer, type IPodSpec, type ISecret } from 'kubernetes-models/v1';
import { parse, parseAllDocuments } from 'yaml';
import type { CommandModule } from 'yargs';
import { describe, expect, it } from 'vitest';
import { kibanaCommand } from '../../src/cli/commands/kibana.js';
import { setupCommand } from '../../src/cli/commands/setup.js';
import { syncCommand } from '../../src/cli/commands/sync.js';

const ROOT = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));
const KUSTOMIZATIONS = ['base', 'overlays/eks-irsa', 'overlays/static-credentials', 'overlays/sharded'];
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const IMAGE = `ghcr.io/ctindex/ctindex:${version}`;
const PLACEHOLDER = 'REPLACE-ME';
const SHARD_ARG = '--shard=$(JOB_COMPLETION_INDEX)/$(CTINDEX_SHARD_COUNT)';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  [field: string]: unknown;
}

// ---- Schemas ------------------------------------------------------------------------------------

/** Every kind the deployment may contain; anything else is an error rather than unchecked. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'batch/v1/CronJob': CronJob,
  'batch/v1/Job': Job,
};

/** An RFC 1123 label; a CronJob's name must also leave room for the Job suffix (52 characters). */
const NAME = /^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/;

function schemaErrors(o: K8sObject): string[] {
  const id = `${o.kind}/${o.metadata?.name}`;
  const Model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!Model) return [`${id}: no schema for ${o.apiVersion} ${o.kind}`];
  const errors: string[] = [];
  try {
    new Model(o as never).validate();
  } catch (err) {
    errors.push(`${id}: ${(err as Error).message}`);
  }
  if (!NAME.test(o.metadata?.name ?? '')) errors.push(`${id}: metadata.name is not a DNS label of at most 52 characters`);
  return errors;
}

// ---- Kustomize rendering ------------------------------------------------------------------------

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

function readObjects(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    return doc.toJS() as K8sObject;
  });
}

interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

interface Kustomization {
  apiVersion: string;
  kind: string;
  namespace?: string;
  resources?: string[];
  patches?: { target: { kind: string; name: string }; patch: string }[];
}

/** The kustomization fields the renderer implements; a manifest using another must extend it. */
const RENDERED_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'patches']);

/** RFC 6902 add/replace/remove at a JSON pointer, in place. */
function applyPatchOp(target: unknown, { op, path, value }: JsonPatchOp): void {
  const keys = path.split('/').slice(1).map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = keys.pop();
  let parent = target;
  for (const key of keys) parent = (parent as Record<string, unknown> | undefined)?.[key];
  if (last === undefined || parent === null || typeof parent !== 'object') throw new Error(`${op} ${path}: no such location`);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index > parent.length || (op !== 'add' && index === parent.length)) throw new Error(`${op} ${path}: index out of range`);
    if (op === 'add') parent.splice(index, 0, value);
    else if (op === 'replace') parent[index] = value;
    else parent.splice(index, 1);
    return;
  }
  const object = parent as Record<string, unknown>;
  if (op !== 'add' && !(last in object)) throw new Error(`${op} ${path}: no such member`);
  if (op === 'remove') delete object[last];
  else object[last] = value;
}

/** What `kubectl apply -k dir` would send, for kustomizations limited to RENDERED_FIELDS. */
function render(dir: string): K8sObject[] {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
  const unsupported = Object.keys(k).filter((key) => !RENDERED_FIELDS.has(key));
  if (k.kind !== 'Kustomization' || unsupported.length > 0) throw new Error(`${dir}: the test renderer does not implement ${unsupported.join(', ') || k.kind}`);
  const objects = (k.resources ?? []).flatMap((r) => {
    const path = resolve(dir, r);
    return statSync(path).isDirectory() ? render(path) : readObjects(path);
  });
  for (const { target, patch } of k.patches ?? []) {
    const matched = objects.filter((o) => o.kind === target.kind && o.metadata.name === target.name);
    if (matched.length === 0) throw new Error(`${dir}: patch target ${target.kind}/${target.name} not found`);
    for (const o of matched) for (const op of parse(patch) as JsonPatchOp[]) applyPatchOp(o, op);
  }
  if (k.namespace) for (const o of objects) if (o.kind !== 'Namespace') o.metadata.namespace = k.namespace;
  return objects;
}

function byId(objects: readonly K8sObject[]): Record<string, K8sObject> {
  return Object.fromEntries(objects.map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
}

// ---- Policy -------------------------------------------------------------------------------------

type Yargs = Record<string, (...args: unknown[]) => unknown>;

/** Options per command path ("sync", "kibana import"), read by running each yargs builder against a recorder. */
function declaredOptions(modules: readonly CommandModule<never, never>[], parent = ''): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const module of modules) {
    const path = `${parent} ${String(module.command).split(' ')[0]}`.trim();
    const options = new Set<string>();
    const children: CommandModule<never, never>[] = [];
    const recorder: Yargs = new Proxy({} as Yargs, {
      get: (_target, method) => (...args: unknown[]) => {
        if (method === 'option' && typeof args[0] === 'string') {
          options.add(args[0]);
          for (const alias of [(args[1] as { alias?: string | string[] } | undefined)?.alias ?? []].flat()) options.add(alias);
        }
        if (method === 'command') children.push(args[0] as CommandModule<never, never>);
        return recorder;
      },
    });
    (module.builder as unknown as (y: Yargs) => unknown)(recorder);
    found.set(path, options);
    for (const [childPath, childOptions] of declaredOptions(children, path)) found.set(childPath, childOptions);
  }
  return found;
}

const COMMAND_OPTIONS = declaredOptions([syncCommand, setupCommand, kibanaCommand] as unknown as CommandModule<never, never>[]);
/** main.ts's global options, which every command accepts (main.ts runs the CLI on import). */
const GLOBAL_OPTIONS = ['config', 'log-level', 'log-format', 'verbose'];
/** Read from the environment by `sync` itself (config.ts resolveShard), not a flag. */
const SYNC_ENVIRONMENT = ['CTINDEX_SHARD_COUNT'];
const SECRET_NAME = /(API_KEY|ACCESS_KEY|SECRET|PASSWORD|TOKEN)/;

/** The command a container runs: the longest command path its arguments start with ("kibana import", not "kibana"). */
function commandOf(container: IContainer): string | undefined {
  const words = `${(container.args ?? []).filter((a) => !a.startsWith('-')).join(' ')} `;
  return [...COMMAND_OPTIONS.keys()].sort((a, b) => b.length - a.length).find((path) => words.startsWith(`${path} `));
}

function podSpecOf(o: K8sObject): IPodSpec | undefined {
  if (o.kind === 'CronJob') return (o as unknown as ICronJob).spec?.jobTemplate.spec?.template.spec;
  if (o.kind === 'Job') return (o as unknown as IJob).spec?.template.spec;
  return undefined;
}

/** The CTINDEX_* variables a container receives, with envFrom sources looked up among `objects`. */
function ctindexVariables(container: IContainer, objects: readonly K8sObject[], where: string, problems: string[]): string[] {
  const names = (container.env ?? []).map((e) => e.name);
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const source = objects.find((o) => o.kind === kind && o.metadata.name === ref?.name) as Pick<ISecret, 'data' | 'stringData'> | undefined;
    if (!source) problems.push(`${where}: envFrom ${kind} ${ref?.name} is not in the deployment`);
    else names.push(...Object.keys({ ...source.data, ...source.stringData }).map((key) => `${from.prefix ?? ''}${key}`));
  }
  return names.filter((n) => n.startsWith('CTINDEX_'));
}

function containerProblems(c: IContainer, where: string, objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const sc = c.securityContext;
  if (sc?.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
  if (sc?.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
  if (!sc?.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities must drop ALL`);
  if (sc?.capabilities?.add?.length) problems.push(`${where}: must add no capabilities`);
  if (sc?.privileged || sc?.runAsUser === 0) problems.push(`${where}: must not run privileged or as root`);
  if (c.image !== IMAGE) problems.push(`${where}: image ${c.image} is not ${IMAGE} (a pinned tag equal to package.json's version)`);
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory']) if (c.resources?.[kind]?.[resource] === undefined) problems.push(`${where}: resources.${kind}.${resource} missing`);
  }
  for (const e of c.env ?? []) if (SECRET_NAME.test(e.name) && e.value !== undefined) problems.push(`${where}: ${e.name} has a literal value; use a secretKeyRef`);

  const command = commandOf(c);
  const accepted = command === undefined ? undefined : COMMAND_OPTIONS.get(command);
  if (!accepted) problems.push(`${where}: args ${JSON.stringify(c.args)} name no ctindex command`);
  else {
    for (const name of ctindexVariables(c, objects, where, problems)) {
      const option = name.slice('CTINDEX_'.length).toLowerCase().replaceAll('_', '-');
      const known = accepted.has(option) || GLOBAL_OPTIONS.includes(option) || (command === 'sync' && SYNC_ENVIRONMENT.includes(name));
      if (!known) problems.push(`${where}: ${name} is no option of \`ctindex ${command}\`, which ignores it`);
    }
  }
  return problems;
}

function podProblems(spec: IPodSpec | undefined, where: string, objects: readonly K8sObject[]): string[] {
  if (!spec) return [`${where}: no pod template`];
  const problems: string[] = [];
  const sc = spec.securityContext;
  if (sc?.runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot must be true`);
  for (const id of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) if (!(Number(sc?.[id]) > 0)) problems.push(`${where}: ${id} must be a non-root id`);
  if (sc?.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${where}: seccompProfile must be RuntimeDefault`);
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) problems.push(`${where}: must not share host namespaces`);
  if (spec.automountServiceAccountToken !== false) problems.push(`${where}: ctindex needs no Kubernetes API token (automountServiceAccountToken: false)`);
  if (spec.restartPolicy !== 'Never') problems.push(`${where}: restartPolicy must be Never (retries are the Job's backoffLimit)`);
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) problems.push(...containerProblems(c, `${where} container ${c.name}`, objects));
  return problems;
}

function cronJobProblems(cj: ICronJob, where: string): string[] {
  const problems: string[] = [];
  const spec = cj.spec;
  if (spec?.schedule !== '*/10 * * * *') problems.push(`${where}: schedule must be */10 * * * *`);
  if (spec?.concurrencyPolicy !== 'Forbid') problems.push(`${where}: concurrencyPolicy must be Forbid`);
  if (!(Number(spec?.startingDeadlineSeconds) > 0)) problems.push(`${where}: startingDeadlineSeconds must be set`);
  if (spec?.successfulJobsHistoryLimit === undefined || spec.failedJobsHistoryLimit === undefined) problems.push(`${where}: history limits must be set`);
  const job = spec?.jobTemplate.spec;
  if (!(Number(job?.activeDeadlineSeconds) > 0)) problems.push(`${where}: activeDeadlineSeconds must be set`);
  if (job?.backoffLimit === undefined) problems.push(`${where}: backoffLimit must be set`);
  if (job?.completionMode === 'Indexed') {
    const container = job.template.spec?.containers[0];
    const count = container?.env?.find((e) => e.name === 'CTINDEX_SHARD_COUNT')?.value;
    if (job.completions === undefined || job.parallelism !== job.completions) problems.push(`${where}: an Indexed Job runs all shards at once (parallelism = completions)`);
    if (count !== String(job.completions)) problems.push(`${where}: CTINDEX_SHARD_COUNT ${count} is not completions ${job.completions}`);
    if (!container?.args?.includes(SHARD_ARG)) problems.push(`${where}: each pod must sync ${SHARD_ARG}`);
  }
  return problems;
}

function secretProblems(o: K8sObject): string[] {
  const where = `${o.kind}/${o.metadata.name}`;
  if (o.kind === 'ConfigMap') {
    return Object.keys((o as IConfigMap).data ?? {}).filter((k) => SECRET_NAME.test(k)).map((k) => `${where}: ${k} belongs in a Secret`);
  }
  if (o.kind !== 'Secret') return [];
  const s = o as ISecret;
  const problems = Object.keys(s.data ?? {}).map((k) => `${where}: data.${k} is an encoded value; examples use stringData placeholders`);
  for (const [k, v] of Object.entries(s.stringData ?? {})) if (v !== PLACEHOLDER) problems.push(`${where}: ${k} is not the placeholder ${PLACEHOLDER}`);
  return problems;
}

/** Every way a rendered deployment breaks the policy; empty when it complies. */
function policyProblems(objects: readonly K8sObject[]): string[] {
  const problems = objects.flatMap((o) => [...schemaErrors(o), ...secretProblems(o)]);
  for (const o of objects) {
    const where = `${o.kind}/${o.metadata.name}`;
    if (o.kind === 'CronJob') problems.push(...cronJobProblems(o as unknown as ICronJob, where));
    if (o.kind === 'Job' && !(Number((o as unknown as IJob).spec?.activeDeadlineSeconds) > 0)) problems.push(`${where}: activeDeadlineSeconds must be set`);
    if (o.kind === 'CronJob' || o.kind === 'Job') problems.push(...podProblems(podSpecOf(o), where, objects));
  }
  return problems;
}

// ---- Tests --------------------------------------------------------------------------------------

const rendered = Object.fromEntries(KUSTOMIZATIONS.map((dir) => [dir, render(join(ROOT, dir))]));

function find<T>(objects: readonly K8sObject[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} missing`);
  return found as unknown as T;
}

describe('deploy/kubernetes files', () => {
  const files = yamlFiles(ROOT);
  const manifests = files.filter((f) => basename(f) !== 'kustomization.yaml');

  it.each(manifests.map((f) => relative(ROOT, f)))('%s: every object matches the Kubernetes API schema', (file) => {
    const objects = readObjects(join(ROOT, file));
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.flatMap(schemaErrors)).toEqual([]);
  });

  it('every manifest belongs to a kustomization, so no file is silently left out', () => {
    const used = new Set<string>();
    for (const dir of KUSTOMIZATIONS) {
      for (const r of (parse(readFileSync(join(ROOT, dir, 'kustomization.yaml'), 'utf8')) as Kustomization).resources ?? []) used.add(resolve(ROOT, dir, r));
    }
    expect(manifests.filter((f) => !used.has(f)).map((f) => relative(ROOT, f))).toEqual([]);
    expect(files.filter((f) => basename(f) === 'kustomization.yaml').map((f) => relative(ROOT, f)).sort()).toEqual(KUSTOMIZATIONS.map((d) => `${d}/kustomization.yaml`).sort());
  });
});

describe.each(KUSTOMIZATIONS)('kubectl apply -k %s', (dir) => {
  const objects = rendered[dir]!;

  it('complies with the deployment policy', () => {
    expect(policyProblems(objects)).toEqual([]);
  });

  it('has the sync CronJob, the setup Job and their configuration, all in namespace ctindex', () => {
    const ids = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(ids).toEqual(expect.arrayContaining(['CronJob/ctindex-sync', 'Job/ctindex-setup', 'ServiceAccount/ctindex', 'ConfigMap/ctindex-sync', 'ConfigMap/ctindex-kibana', 'Secret/ctindex-elasticsearch', 'Secret/ctindex-kibana']));
    expect(objects.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === 'ctindex')).toBe(true);
    const setup = podSpecOf(find(objects, 'Job', 'ctindex-setup'));
    expect(setup?.initContainers?.map(commandOf)).toEqual(['setup']);
    expect(setup?.containers.map(commandOf)).toEqual(['kibana import']);
  });
});

describe('overlays', () => {
  const roleArn = (dir: string) => find<K8sObject>(rendered[dir]!, 'ServiceAccount', 'ctindex').metadata.annotations?.['eks.amazonaws.com/role-arn'];
  const syncContainer = (dir: string) => podSpecOf(find(rendered[dir]!, 'CronJob', 'ctindex-sync'))!.containers[0]!;

  it('eks-irsa (and sharded, built on it) annotate the service account with an IAM role', () => {
    expect(roleArn('overlays/eks-irsa')).toMatch(/^arn:aws:iam::\d{12}:role\/.+/);
    expect(roleArn('overlays/sharded')).toBe(roleArn('overlays/eks-irsa'));
    expect(roleArn('base')).toBeUndefined();
  });

  it('static-credentials gives only the sync container the AWS key Secret, and no IAM role', () => {
    expect(roleArn('overlays/static-credentials')).toBeUndefined();
    expect(syncContainer('overlays/static-credentials').envFrom).toContainEqual({ secretRef: { name: 'ctindex-aws' } });
    const secret = find<ISecret>(rendered['overlays/static-credentials']!, 'Secret', 'ctindex-aws');
    expect(Object.keys(secret.stringData ?? {}).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    expect(find<IConfigMap>(rendered['overlays/static-credentials']!, 'ConfigMap', 'ctindex-sync').data?.CTINDEX_REGION).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
  });

  it('sharded runs the sync as an Indexed Job, one pod per shard, each passed its index and the count', () => {
    const job = find<ICronJob>(rendered['overlays/sharded']!, 'CronJob', 'ctindex-sync').spec!.jobTemplate.spec!;
    expect(job).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    expect(syncContainer('overlays/sharded').env).toContainEqual({ name: 'CTINDEX_SHARD_COUNT', value: '4' });
    expect(syncContainer('overlays/sharded').args).toEqual(['sync', SHARD_ARG]);
    expect(syncContainer('base').args).toEqual(['sync']);
  });
});

describe('the checks catch what they are for', () => {
  const base = () => structuredClone(rendered.base!);

  it('a schema violation', () => {
    const objects = base();
    const cronJob = find<ICronJob>(objects, 'CronJob', 'ctindex-sync');
    (cronJob.spec as unknown as Record<string, unknown>).startingDeadlineSeconds = '300';
    (cronJob.spec!.concurrencyPolicy as string) = 'Never';
    const problems = policyProblems(objects).join('\n');
    expect(problems).toContain('data/spec/startingDeadlineSeconds must be integer');
    expect(problems).toContain('data/spec/concurrencyPolicy must be equal to one of the allowed values');
  });

  it('a CronJob and containers that break the policy', () => {
    const objects = base();
    const cronJob = find<ICronJob>(objects, 'CronJob', 'ctindex-sync');
    cronJob.spec!.schedule = '0 * * * *';
    delete cronJob.spec!.jobTemplate.spec!.activeDeadlineSeconds;
    const sync = podSpecOf(cronJob as unknown as K8sObject)!.containers[0]!;
    sync.image = 'ghcr.io/ctindex/ctindex:latest';
    sync.securityContext!.readOnlyRootFilesystem = false;
    delete sync.resources!.limits;
    sync.env!.push({ name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    const setup = podSpecOf(find(objects, 'Job', 'ctindex-setup'))!;
    setup.securityContext!.runAsNonRoot = false;
    setup.initContainers![0]!.envFrom = [{ configMapRef: { name: 'ctindex-sync' } }];
    expect(policyProblems(objects)).toEqual([
      'CronJob/ctindex-sync: schedule must be */10 * * * *',
      'CronJob/ctindex-sync: activeDeadlineSeconds must be set',
      'CronJob/ctindex-sync container sync: readOnlyRootFilesystem must be true',
      `CronJob/ctindex-sync container sync: image ghcr.io/ctindex/ctindex:latest is not ${IMAGE} (a pinned tag equal to package.json's version)`,
      'CronJob/ctindex-sync container sync: resources.limits.cpu missing',
      'CronJob/ctindex-sync container sync: resources.limits.memory missing',
      'CronJob/ctindex-sync container sync: AWS_SECRET_ACCESS_KEY has a literal value; use a secretKeyRef',
      'Job/ctindex-setup: runAsNonRoot must be true',
      'Job/ctindex-setup container setup: CTINDEX_BUCKET is no option of `ctindex setup`, which ignores it',
      'Job/ctindex-setup container setup: CTINDEX_PREFIX is no option of `ctindex setup`, which ignores it',
      'Job/ctindex-setup container setup: CTINDEX_REGIONS is no option of `ctindex setup`, which ignores it',
      'Job/ctindex-setup container setup: CTINDEX_CONCURRENCY is no option of `ctindex setup`, which ignores it',
      'Job/ctindex-setup container setup: CTINDEX_MAX_IN_FLIGHT_BYTES is no option of `ctindex setup`, which ignores it',
      'Job/ctindex-setup container setup: CTINDEX_FLUSH_BYTES is no option of `ctindex setup`, which ignores it',
    ]);
  });

  it('a real-looking secret, and a shard count that disagrees with the Job', () => {
    const objects = structuredClone(rendered['overlays/sharded']!);
    find<ISecret>(objects, 'Secret', 'ctindex-elasticsearch').stringData!.CTINDEX_ES_API_KEY = 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==';
    find<ICronJob>(objects, 'CronJob', 'ctindex-sync').spec!.jobTemplate.spec!.parallelism = 2;
    expect(policyProblems(objects)).toEqual([
      'Secret/ctindex-elasticsearch: CTINDEX_ES_API_KEY is not the placeholder REPLACE-ME',
      'CronJob/ctindex-sync: an Indexed Job runs all shards at once (parallelism = completions)',
    ]);
  });
});

// kubectl carries kustomize; where it is installed, the renderer above must agree with it.
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!kubectl)('the renderer agrees with kubectl kustomize', () => {
  it.each(KUSTOMIZATIONS)('%s', (dir) => {
    const out = spawnSync('kubectl', ['kustomize', join(ROOT, dir)], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    const fromKubectl = parseAllDocuments(out.stdout).map((d) => d.toJS() as K8sObject);
    expect(byId(rendered[dir]!)).toEqual(byId(fromKubectl));
  });
});
