// Locates the files ctindex ships beside its code (rules, templates, saved objects), both when run
// from `dist/` (installed package) and from `src/` (tests): each sits one level below the root.
import { fileURLToPath } from 'node:url';

export const packageRoot = fileURLToPath(new URL('../', import.meta.url));
export const shippedRulesDir = fileURLToPath(new URL('../rules/', import.meta.url));
export const indexTemplatesDir = fileURLToPath(new URL('../index-templates/', import.meta.url));
export const savedObjectsDir = fileURLToPath(new URL('../kibana-saved-objects/', import.meta.url));
