// Rejects misspelt command-line flags without rejecting CTINDEX_* environment variables meant for
// another command: one ConfigMap feeds both `ctindex setup` and `ctindex sync` in Kubernetes, so
// yargs' strict mode (which also checks environment-derived keys) cannot be used.

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The `--flags` in `args` (before a lone `--`) that are not among `known` (kebab or camelCase). */
export function unknownFlags(args: readonly string[], known: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const k of known) names.add(kebab(k));
  const unknown: string[] = [];
  for (const arg of args) {
    if (arg === '--') break;
    if (!arg.startsWith('--')) continue;
    const name = kebab(arg.slice(2).split('=', 1)[0]!);
    const negated = name.startsWith('no-') ? name.slice(3) : undefined;
    if (!names.has(name) && !(negated !== undefined && names.has(negated))) unknown.push(`--${name}`);
  }
  return unknown;
}
