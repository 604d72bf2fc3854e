// Brings a cluster to what ctindex needs for one namespace: the shipped templates, the lifecycle
// (ILM policy, data stream lifecycle, or ctindex-managed) and the namespace's data streams and
// indices. Idempotent: every piece is compared with what is installed and written only when
// missing or older. `ctindex setup` calls setupElasticsearch; `sync` calls ensureSetup first.
import type { Client } from '@elastic/elasticsearch';
import { isDeepStrictEqual } from 'node:util';
import { SinkError } from '../errors.js';
import { describeClient, toSinkError } from '../sink/es-client.js';
import { errorTypeOf, esRequest, isMissingApi, seg, statusOf, type Json } from './es-request.js';
import {
  applyManagedLifecycle,
  chooseLifecycleMode,
  detectLifecycleSupport,
  dslClusterRollover,
  dslLifecycle,
  DSL_DEFAULT_ROLLOVER,
  ilmPolicyMatches,
  ilmPolicyRequest,
  ILM_POLICY_NAME,
  lifecycleFromMeta,
  lifecycleMeta,
  lifecyclePolicy,
  withLifecycle,
  type LifecycleChoice,
  type LifecyclePolicy,
  type ManagedLifecycleReport,
} from './lifecycle.js';
import { namespaceTargets, type NamespaceTargets } from './names.js';
import {
  compareTemplate,
  isDataStreamTemplate,
  loadShippedTemplates,
  mappingVersion,
  putTemplate,
  readInstalledTemplates,
  templateKey,
  type ShippedTemplate,
  type TemplateKind,
  type TemplateStatus,
} from './templates.js';

export { applyManagedLifecycle } from './lifecycle.js';

export interface SetupOptions {
  readonly namespace: string;
  /** Default: the installed retention, else 365d. */
  readonly retention?: string;
  /** Default: the installed size, else 50gb. */
  readonly rolloverMaxPrimaryShardSize?: string;
  /** Default `auto`: keeps the installed mode, else ILM, DSL or ctindex, whichever the cluster has. */
  readonly lifecycle?: LifecycleChoice;
}

export interface TemplateOutcome {
  readonly kind: TemplateKind;
  readonly name: string;
  readonly version: number;
  readonly status: TemplateStatus;
}

/** What was done to a data stream or index; none means it was already current. */
export type TargetAction =
  | 'created'
  /** The create-data-stream API is missing: the template creates it on the first write. */
  | 'deferred'
  /** Its write index predates the installed mappings: rolled over onto a new one. */
  | 'rolled_over'
  | 'mapping_updated'
  | 'lifecycle_updated';

export interface TargetOutcome {
  readonly name: string;
  readonly kind: 'data_stream' | 'index';
  readonly actions: readonly TargetAction[];
}

export interface SetupReport {
  /** Undefined when the user may not read it (no `monitor` privilege). */
  readonly esVersion: string | undefined;
  readonly warnings: readonly string[];
  readonly lifecycle: { readonly policy: LifecyclePolicy; readonly status: 'created' | 'updated' | 'unchanged' };
  readonly templates: readonly TemplateOutcome[];
  readonly targets: readonly TargetOutcome[];
  /** ctindex mode: what setup's own lifecycle pass did. */
  readonly managed?: ManagedLifecycleReport;
}

export interface VersionCheck {
  readonly version: string | undefined;
  readonly warning?: string;
}

/**
 * ctindex is built and tested for 8.x (composable templates, data streams, flattened). 7.9+ has all
 * of these and 9.x keeps them, so both only warn; older versions lack data streams.
 * `GET /` is not routed on every deployment, so the version comes from the local node's info.
 */
export async function checkEsVersion(es: Client): Promise<VersionCheck> {
  let version: string | undefined;
  try {
    const res = await esRequest<{ nodes?: Record<string, { version?: string }> }>(es, 'GET', '/_nodes/_local', { querystring: { filter_path: 'nodes.*.version' } });
    version = Object.values(res.nodes ?? {})[0]?.version;
  } catch (error) {
    const status = statusOf(error);
    if (status !== 401 && status !== 403) throw error;
  }
  if (version === undefined) return { version, warning: 'Could not read the Elasticsearch version (the user lacks the monitor privilege); assuming 8.x.' };
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major === 8) return { version };
  if ((major === 7 && minor >= 9) || major >= 9) {
    return { version, warning: `Elasticsearch ${version} is outside the tested range (8.x); ctindex should work but is not tested against it.` };
  }
  throw new SinkError('es_version_unsupported', `Elasticsearch ${version} is not supported: ctindex needs 8.x (data streams and composable templates).`, { version });
}

/** Which target each index template serves. */
const ARTICLED = { data_stream: 'a data stream', index: 'an index', alias: 'an alias' } as const;

const TARGET_OF_TEMPLATE: Readonly<Record<string, keyof NamespaceTargets>> = {
  'ctindex-cloudtrail': 'events',
  'ctindex-deadletter': 'deadLetters',
  'ctindex-state': 'state',
  'ctindex-runs': 'runs',
};

interface LifecycleRequest {
  readonly choice: LifecycleChoice;
  readonly retention?: string;
  readonly rolloverMaxPrimaryShardSize?: string;
  /** Run a ctindex lifecycle pass at the end (setup does; sync does its own after the run). */
  readonly applyManaged: boolean;
}

interface ResolveAnswer {
  readonly indices?: readonly { readonly name: string; readonly data_stream?: string }[];
  readonly aliases?: readonly { readonly name: string }[];
  readonly data_streams?: readonly { readonly name: string; readonly backing_indices: readonly string[] }[];
}

interface TargetState {
  readonly name: string;
  readonly template: ShippedTemplate;
  readonly kind: 'data_stream' | 'index';
  /** Backing indices of an existing data stream, oldest first; [name] for an existing index; [] if missing. */
  readonly indices: readonly string[];
  /** The last of `indices`: where writes go. */
  readonly writeIndex: string | undefined;
  stale: boolean;
}

class Reconciler {
  readonly #es: Client;
  readonly #namespace: string;
  readonly #install: boolean;
  /** What is being done, for error messages. */
  step = 'reading the installed templates';

  constructor(es: Client, namespace: string, install: boolean) {
    this.#es = es;
    this.#namespace = namespace;
    this.#install = install;
  }

  async run(request: LifecycleRequest): Promise<SetupReport> {
    const es = this.#es;
    const targets = namespaceTargets(this.#namespace);
    this.step = 'reading the Elasticsearch version';
    const versionCheck = await checkEsVersion(es);
    const warnings = versionCheck.warning ? [versionCheck.warning] : [];
    this.step = 'reading the installed templates';
    const [shipped, installed] = await Promise.all([loadShippedTemplates(), readInstalledTemplates(es)]);
    const installedLifecycle = lifecycleFromMeta(installed.get(templateKey('index', 'ctindex-cloudtrail'))?.meta?.lifecycle);

    this.step = 'choosing the lifecycle';
    const policy = await this.#resolvePolicy(request, installedLifecycle);
    const lifecycleChanged = await this.#planLifecycle(policy);
    const lifecycleStatus = installedLifecycle === undefined ? 'created' : lifecycleChanged || !isDeepStrictEqual(lifecycleMeta(installedLifecycle), lifecycleMeta(policy)) ? 'updated' : 'unchanged';

    const templates = shipped.map((t) => {
      const current = installed.get(templateKey(t.kind, t.name));
      let status = compareTemplate(t, current);
      const lifecycleDiffers = isDataStreamTemplate(t) && !isDeepStrictEqual(current?.meta?.lifecycle, lifecycleMeta(policy));
      if (status === 'unchanged' && lifecycleDiffers) status = 'updated';
      if (status === 'newer') warnings.push(`${t.kind} template ${t.name} v${current?.version} is newer than this ctindex (v${t.version}); left as is.`);
      return { template: t, status, body: isDataStreamTemplate(t) ? withLifecycle(t.body, policy) : t.body };
    });

    this.step = 'inspecting the namespace\'s data streams and indices';
    const states = await this.#inspectTargets(shipped, targets, warnings);

    if (!this.#install) {
      const missing = templates.filter((t) => t.status === 'created' || t.status === 'updated').map((t) => t.template.name);
      const stale = states.filter((s) => s.stale).map((s) => s.name);
      if (missing.length > 0 || stale.length > 0) {
        const what = [missing.length > 0 ? `templates missing or outdated: ${missing.join(', ')}` : '', stale.length > 0 ? `indices on older mappings: ${stale.join(', ')}` : ''].filter(Boolean).join('; ');
        throw new SinkError('setup_required', `Elasticsearch is not set up for this ctindex version (${what}); run \`ctindex setup\`, or drop --no-setup.`);
      }
    } else {
      if (lifecycleChanged) await this.#installLifecycle(policy);
      for (const t of templates) {
        if (t.status !== 'created' && t.status !== 'updated') continue;
        this.step = `installing ${t.template.kind} template ${t.template.name}`;
        await putTemplate(es, t.template.kind, t.template.name, t.body);
      }
    }

    const targetOutcomes: TargetOutcome[] = [];
    for (const state of states) {
      targetOutcomes.push({ name: state.name, kind: state.kind, actions: this.#install ? await this.#reconcileTarget(state, policy) : [] });
    }
    if (this.#install) {
      // A just-created index answers 503 until its shard starts; several pods of a first run
      // create and read the state index at once, so wait for it rather than fail their reads.
      this.step = 'waiting for the namespace\'s indices to be ready';
      await esRequest(es, 'GET', `/_cluster/health/${seg(targets.state)},${seg(targets.runs)}`, {
        querystring: { wait_for_status: 'yellow', timeout: '60s' },
      });
    }
    let managed: ManagedLifecycleReport | undefined;
    if (this.#install && request.applyManaged && policy.mode === 'ctindex') {
      this.step = 'applying the ctindex lifecycle';
      managed = await applyManagedLifecycle(es, this.#namespace, policy);
    }
    return {
      esVersion: versionCheck.version,
      warnings,
      lifecycle: { policy, status: lifecycleStatus },
      templates: templates.map((t) => ({ kind: t.template.kind, name: t.template.name, version: t.template.version, status: t.status })),
      targets: targetOutcomes,
      managed,
    };
  }

  /** Explicit choices are checked against the cluster; `auto` trusts an installed mode, else probes. */
  async #resolvePolicy(request: LifecycleRequest, installed: LifecyclePolicy | undefined): Promise<LifecyclePolicy> {
    const options = {
      retention: request.retention ?? installed?.retention,
      rolloverMaxPrimaryShardSize: request.rolloverMaxPrimaryShardSize ?? installed?.rolloverMaxPrimaryShardSize,
    };
    if (request.choice === 'ctindex' || (request.choice === 'auto' && installed !== undefined)) {
      return lifecyclePolicy(request.choice === 'auto' ? installed!.mode : 'ctindex', options);
    }
    const support = await detectLifecycleSupport(this.#es);
    return lifecyclePolicy(chooseLifecycleMode(request.choice, support, installed?.mode), options);
  }

  /** True when the ILM policy or the DSL cluster rollover setting must be written. */
  async #planLifecycle(policy: LifecyclePolicy): Promise<boolean> {
    if (policy.mode === 'ilm') {
      this.step = 'reading the ILM policy';
      try {
        const res = await esRequest<Record<string, unknown>>(this.#es, 'GET', `/_ilm/policy/${ILM_POLICY_NAME}`);
        return !ilmPolicyMatches(res[ILM_POLICY_NAME], policy);
      } catch (error) {
        if (statusOf(error) === 404) return true;
        throw error;
      }
    }
    if (policy.mode === 'dsl') {
      this.step = 'reading the data stream lifecycle rollover setting';
      return (await this.#dslRolloverSetting()) !== dslClusterRollover(policy);
    }
    return false;
  }

  async #dslRolloverSetting(): Promise<string> {
    const res = await esRequest<{ persistent?: Record<string, string> }>(this.#es, 'GET', '/_cluster/settings', { querystring: { flat_settings: true } });
    return res.persistent?.['cluster.lifecycle.default.rollover'] ?? DSL_DEFAULT_ROLLOVER;
  }

  async #installLifecycle(policy: LifecyclePolicy): Promise<void> {
    if (policy.mode === 'ilm') {
      this.step = `installing the ILM policy ${ILM_POLICY_NAME}`;
      await esRequest(this.#es, 'PUT', `/_ilm/policy/${ILM_POLICY_NAME}`, { body: ilmPolicyRequest(policy) });
    } else if (policy.mode === 'dsl') {
      this.step = 'setting cluster.lifecycle.default.rollover';
      await esRequest(this.#es, 'PUT', '/_cluster/settings', { body: { persistent: { 'cluster.lifecycle.default.rollover': dslClusterRollover(policy) } } });
    }
  }

  async #inspectTargets(shipped: readonly ShippedTemplate[], targets: NamespaceTargets, warnings: string[]): Promise<TargetState[]> {
    const es = this.#es;
    const wanted = shipped.filter((t) => t.kind === 'index' && TARGET_OF_TEMPLATE[t.name] !== undefined);
    const names = wanted.map((t) => targets[TARGET_OF_TEMPLATE[t.name]!]);
    const resolved = await esRequest<ResolveAnswer>(es, 'GET', `/_resolve/index/${names.map(seg).join(',')}`, {
      querystring: { expand_wildcards: 'all', ignore_unavailable: true },
    });
    const states = wanted.map((template, i): TargetState => {
      const name = names[i]!;
      const kind = isDataStreamTemplate(template) ? 'data_stream' : 'index';
      const stream = resolved.data_streams?.find((d) => d.name === name);
      const index = resolved.indices?.find((d) => d.name === name && d.data_stream === undefined);
      const alias = resolved.aliases?.find((d) => d.name === name);
      const actual = stream ? 'data_stream' : index ? 'index' : alias ? 'alias' : undefined;
      if (actual !== undefined && actual !== kind) {
        throw new SinkError('target_conflict', `${name} exists as ${ARTICLED[actual]}, but ctindex needs ${ARTICLED[kind]} there; rename or delete it, then run \`ctindex setup\`.`, { name });
      }
      const indices = stream ? stream.backing_indices : index ? [index.name] : [];
      return { name, template, kind, indices, writeIndex: indices.at(-1), stale: false };
    });
    const existing = states.filter((s) => s.writeIndex !== undefined);
    if (existing.length > 0) {
      const mappings = await esRequest<Record<string, { mappings?: { _meta?: { managed_by?: unknown; version?: unknown } } }>>(es, 'GET', `/${existing.map((s) => seg(s.writeIndex!)).join(',')}/_mapping`, {
        querystring: { filter_path: '*.mappings._meta', expand_wildcards: 'all' },
      });
      for (const s of existing) {
        const meta = mappings[s.writeIndex!]?.mappings?._meta;
        if (meta?.managed_by !== 'ctindex') {
          // Another template (of higher priority) made it: rolling over would only repeat that.
          warnings.push(`${s.writeIndex} was not created from ctindex's templates; its mappings are left as they are.`);
          continue;
        }
        s.stale = typeof meta.version !== 'number' || meta.version < (mappingVersion(s.template) ?? 0);
      }
    }
    return states;
  }

  async #reconcileTarget(state: TargetState, policy: LifecyclePolicy): Promise<TargetAction[]> {
    const es = this.#es;
    const path = `/${seg(state.name)}`;
    if (state.writeIndex === undefined) {
      this.step = `creating ${state.name}`;
      try {
        await esRequest(es, 'PUT', state.kind === 'data_stream' ? `/_data_stream/${seg(state.name)}` : path);
        return ['created'];
      } catch (error) {
        if (state.kind === 'data_stream' && isMissingApi(error)) return ['deferred'];
        // Another process created it meanwhile.
        if (errorTypeOf(error) === 'resource_already_exists_exception') return [];
        throw error;
      }
    }
    const actions: TargetAction[] = [];
    if (state.stale && state.kind === 'data_stream') {
      // A new write index, created from the new templates. Not a lazy rollover (8.14+): clusters
      // without the data-streams module accept the flag but never act on it.
      this.step = `rolling over ${state.name}`;
      await esRequest(es, 'POST', `${path}/_rollover`);
      actions.push('rolled_over');
    } else if (state.stale) {
      // Plain indices get the new mappings in place (additive changes; a type change would fail here).
      this.step = `updating the mappings of ${state.name}`;
      const simulated = await esRequest<{ template?: { mappings?: Json } }>(es, 'POST', `/_index_template/_simulate_index/${seg(state.name)}`);
      await esRequest(es, 'PUT', `${path}/_mapping`, { body: simulated.template?.mappings ?? {} });
      actions.push('mapping_updated');
    }
    if (state.kind === 'data_stream' && (await this.#syncStreamLifecycle(state, policy))) actions.push('lifecycle_updated');
    return actions;
  }

  /**
   * Templates apply to indices created after them: an existing data stream gets the ILM policy
   * name on its backing indices, or its DSL retention, here.
   */
  async #syncStreamLifecycle(state: TargetState, policy: LifecyclePolicy): Promise<boolean> {
    const es = this.#es;
    const dataStream = state.name;
    const path = `/${seg(dataStream)}`;
    if (policy.mode === 'ilm') {
      this.step = `attaching the ILM policy to ${dataStream}`;
      const settings = await esRequest<Record<string, { settings?: Record<string, string> }>>(es, 'GET', `${path}/_settings/index.lifecycle.name`, {
        querystring: { flat_settings: true, expand_wildcards: 'all' },
      });
      if (state.indices.every((i) => settings[i]?.settings?.['index.lifecycle.name'] === ILM_POLICY_NAME)) return false;
      await esRequest(es, 'PUT', `${path}/_settings`, { body: { 'index.lifecycle.name': ILM_POLICY_NAME } });
      return true;
    }
    if (policy.mode === 'dsl') {
      this.step = `setting the data stream lifecycle of ${dataStream}`;
      const res = await esRequest<{ data_streams?: { lifecycle?: { data_retention?: string } }[] }>(es, 'GET', `/_data_stream/${seg(dataStream)}/_lifecycle`);
      if (res.data_streams?.[0]?.lifecycle?.data_retention === policy.retention) return false;
      await esRequest(es, 'PUT', `/_data_stream/${seg(dataStream)}/_lifecycle`, { body: dslLifecycle(policy) });
      return true;
    }
    return false;
  }
}

const PRIVILEGES_HINT = 'ctindex setup needs the cluster privileges manage_index_templates and monitor (plus manage_ilm with ILM, or manage to change the data stream lifecycle rollover size), and the index privileges manage, read and write on ctindex-*.';

async function reconcile(es: Client, namespace: string, install: boolean, request: LifecycleRequest): Promise<SetupReport> {
  const reconciler = new Reconciler(es, namespace, install);
  try {
    return await reconciler.run(request);
  } catch (error) {
    const sinkError = toSinkError(error, describeClient(es), reconciler.step);
    if (sinkError.code === 'es_forbidden' || sinkError.code === 'es_unauthorized') {
      throw new SinkError(sinkError.code, `${sinkError.message} ${PRIVILEGES_HINT}`, sinkError.context);
    }
    throw sinkError;
  }
}

/**
 * `ctindex setup`: installs or upgrades everything for `namespace` and applies the lifecycle chosen
 * (explicitly, or `auto`). In ctindex mode it also runs one lifecycle pass.
 */
export function setupElasticsearch(es: Client, options: SetupOptions): Promise<SetupReport> {
  const { namespace, retention, rolloverMaxPrimaryShardSize, lifecycle = 'auto' } = options;
  return reconcile(es, namespace, true, { choice: lifecycle, retention, rolloverMaxPrimaryShardSize, applyManaged: true });
}

/**
 * What `sync` calls before writing: installs or upgrades whatever is missing or outdated (keeping
 * the lifecycle `ctindex setup` chose), so that no document goes into an index without ctindex's
 * mappings. With `install: false` (`--no-setup`) it only checks, and fails with one line if
 * anything is missing or outdated. Lacking privileges fail with one line too.
 */
export function ensureSetup(es: Client, options: { readonly namespace: string; readonly install?: boolean }): Promise<SetupReport> {
  return reconcile(es, options.namespace, options.install ?? true, { choice: 'auto', applyManaged: false });
}
