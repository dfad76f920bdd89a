/**
 * The types of the elements' message tables. Each element has one table of English strings,
 * written `as const` beside it (`sip-phone/phone-strings.ts`...); its type is derived from it here,
 * so that a key added to the English table is a type error in every translation until it is
 * translated, and a translation that drops a placeholder (`{name}`) is one too.
 */

/** The placeholders of a message: 'Call {name}, {state}' has 'name' | 'state'. */
export type Placeholders<S> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

type AllOf<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Any text that keeps every placeholder of `S` (a plain string when it has none). */
export type Text<S> = [Placeholders<S>] extends [never]
  ? string
  : AllOf<Placeholders<S> extends infer P extends string ? `${string}{${P}}${string}` : never>;

/** A table's type from its English text: the same keys, each a text with the same placeholders. */
export type StringsOf<T> = { readonly [K in keyof T]: Text<T[K]> };

/** The keys of a table whose messages have no placeholder. */
export type PlainKeys<T> = { [K in keyof T]: [Placeholders<T[K]>] extends [never] ? K : never }[keyof T];

/** The values a message's placeholders take. */
export type Values<S> = [Placeholders<S>] extends [never] ? [] : [values: Record<Placeholders<S>, string | number>];

/**
 * Fills a message's `{placeholders}`: text in, text out (the result is bound as text, never parsed
 * as markup). An unknown placeholder stays as written.
 */
export function format(message: string, values: Readonly<Record<string, unknown>> = {}): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/**
 * A message split around its placeholders, for a message whose values are elements (a CSS part
 * in the middle of a sentence): the text pieces as strings, each placeholder replaced by its value.
 * Lit renders the array; nothing is parsed as markup.
 */
export function formatParts<V>(message: string, values: Readonly<Record<string, V>>): Array<string | V> {
  return message
    .split(/\{(\w+)\}/)
    .map((piece, index) => (index % 2 ? (piece in values ? values[piece]! : `{${piece}}`) : piece));
}
