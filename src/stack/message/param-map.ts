/**
 * Parameters of a header value or URI, in order: a read-only Map kept as a flat array. A value has
 * a handful of parameters, so a linear search is faster than hashing and the array is far cheaper
 * to build than a Map; past a few entries an index keeps look-ups constant-time whatever the input.
 */

/** Header or URI parameters by lower-case name; `null` is a parameter without a value. */
export type Params = ReadonlyMap<string, string | null>;

const INDEX_FROM = 8;

export class ParamMap implements ReadonlyMap<string, string | null> {
  // name0, value0, name1, value1, ...
  readonly #items: Array<string | null> = [];
  #index: Map<string, number> | undefined;

  /** Builds from entries; a repeated name keeps its first value. */
  constructor(entries?: Iterable<readonly [string, string | null]>) {
    if (entries !== undefined) for (const [name, value] of entries) this.add(name, value);
  }

  /**
   * Appends unless the name is already there, and says whether it was added. For building a new
   * map only (the parser and the constructors): once handed out, a ParamMap is not changed.
   */
  add(name: string, value: string | null): boolean {
    if (this.#find(name) >= 0) return false;
    const items = this.#items;
    if (this.#index !== undefined) this.#index.set(name, items.length);
    items.push(name, value);
    if (this.#index === undefined && items.length >= INDEX_FROM * 2) {
      this.#index = new Map();
      for (let i = 0; i < items.length; i += 2) this.#index.set(items[i] as string, i);
    }
    return true;
  }

  #find(name: string): number {
    if (this.#index !== undefined) return this.#index.get(name) ?? -1;
    const items = this.#items;
    for (let i = 0; i < items.length; i += 2) if (items[i] === name) return i;
    return -1;
  }

  get size(): number {
    return this.#items.length >> 1;
  }

  get(name: string): string | null | undefined {
    const at = this.#find(name);
    return at < 0 ? undefined : this.#items[at + 1];
  }

  has(name: string): boolean {
    return this.#find(name) >= 0;
  }

  forEach(
    callback: (value: string | null, key: string, map: ReadonlyMap<string, string | null>) => void,
    thisArg?: unknown,
  ): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }

  *entries(): MapIterator<[string, string | null]> {
    const items = this.#items;
    for (let i = 0; i < items.length; i += 2) yield [items[i] as string, items[i + 1]];
  }

  *keys(): MapIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): MapIterator<string | null> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, string | null]> {
    return this.entries();
  }
}

/** The pairs a builder gave: an iterable of pairs as it is, or a plain object's own entries. */
export function entriesOf<T>(
  init: Iterable<readonly [string, T]> | Readonly<Record<string, T>>,
): Iterable<readonly [string, T]> {
  return Symbol.iterator in init ? (init as Iterable<readonly [string, T]>) : Object.entries(init);
}

/** The shared empty parameter list. */
export const NO_PARAMS: Params = new ParamMap();
