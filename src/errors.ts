// One error vocabulary for the whole tool. Every error carries a stable snake_case `code` (used as a
// log field and in the run summary) and a context object that must never hold secrets.

export type ErrorContext = Readonly<Record<string, string | number | boolean | undefined>>;

export class CtindexError extends Error {
  readonly code: string;
  readonly context: ErrorContext;
  constructor(code: string, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }
}

/** Invalid flags, environment or config file. Exit code 2. */
export class ConfigError extends CtindexError {}
/** S3 / local source failures that stop the run (bucket missing, access denied, endpoint down). */
export class SourceError extends CtindexError {}
/** Elasticsearch failures that stop the run (unreachable, auth, unmapped index). */
export class SinkError extends CtindexError {}
/** A rule file that cannot be loaded: fatal per rule-language.md §1.7. */
export class RuleLoadError extends CtindexError {}
/** Kibana import failures. */
export class KibanaError extends CtindexError {}

/** Exit codes, documented in the README. `main.ts` is the only place that maps errors to them. */
export const EXIT = {
  ok: 0,
  /** The run finished but something was dead-lettered or failed per object. */
  partial: 1,
  config: 2,
  source: 3,
  sink: 4,
  rules: 5,
  kibana: 6,
  internal: 70,
} as const;

/** Thrown by a command that finished but must exit non-zero (its output already said why). */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.exitCode = exitCode;
  }
}
