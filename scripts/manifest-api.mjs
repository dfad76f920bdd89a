// Compares the public API of each custom element in two custom-elements.json files: its attributes,
// members (properties and methods), events, slots, CSS parts and CSS custom properties, each with
// what the manifest says of it (type, default, description, attribute, reflection...). Where a
// member is declared (the element's class or a base class: `inheritedFrom`) and in what order the
// analyzer lists them are no API, so they are left out. Exits 1 and prints the differences when the
// two APIs differ, so a refactor can prove it changed no element's API:
//   node scripts/manifest-api.mjs before.json [after.json (default: custom-elements.json)]
import { readFileSync } from 'node:fs';

const KINDS = ['attributes', 'members', 'events', 'slots', 'cssParts', 'cssProperties'];

/** An entry without where it was declared, its keys sorted, so equal entries print equal. */
function normalize(value) {
  if (Array.isArray(value)) return value.map(normalize);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .filter((key) => key !== 'inheritedFrom')
      .sort()
      .map((key) => [key, normalize(value[key])]),
  );
}

/** tag name → kind → sorted list of normalized entries (as JSON text). */
export function elementApis(manifest) {
  const apis = {};
  for (const module of manifest.modules ?? []) {
    for (const declaration of module.declarations ?? []) {
      if (!declaration.tagName) continue;
      apis[declaration.tagName] = Object.fromEntries(
        KINDS.map((kind) => [kind, (declaration[kind] ?? []).map((entry) => JSON.stringify(normalize(entry))).sort()]),
      );
    }
  }
  return apis;
}

/** Readable differences between two manifests' element APIs; empty when they are the same. */
export function apiDifferences(before, after) {
  const a = elementApis(before);
  const b = elementApis(after);
  const differences = [];
  for (const tag of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!a[tag] || !b[tag]) {
      differences.push(`<${tag}> ${a[tag] ? 'removed' : 'added'}`);
      continue;
    }
    for (const kind of KINDS) {
      const was = new Set(a[tag][kind]);
      const is = new Set(b[tag][kind]);
      for (const entry of was) if (!is.has(entry)) differences.push(`<${tag}> ${kind} - ${entry}`);
      for (const entry of is) if (!was.has(entry)) differences.push(`<${tag}> ${kind} + ${entry}`);
    }
  }
  return differences;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [beforePath, afterPath = 'custom-elements.json'] = process.argv.slice(2);
  if (!beforePath) {
    console.error('usage: node scripts/manifest-api.mjs before.json [after.json]');
    process.exit(2);
  }
  const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
  const differences = apiDifferences(read(beforePath), read(afterPath));
  for (const line of differences) console.log(line);
  const tags = Object.keys(elementApis(read(afterPath)));
  console.log(
    differences.length
      ? `${differences.length} differences`
      : `same API for ${tags.map((tag) => `<${tag}>`).join(', ')}`,
  );
  process.exit(differences.length ? 1 : 0);
}
