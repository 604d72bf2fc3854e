// Rejects misspelt command-line flags but ignores CTINDEX_* environment variables that the invoked
// command has no option for: a shell or pod may set variables for several commands (sync's
// CTINDEX_BUCKET beside a `ctindex setup` run), and yargs' strict mode would reject those too.

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
