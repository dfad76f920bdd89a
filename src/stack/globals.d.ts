/**
 * The few host globals the DOM-free stack uses. `tsconfig.stack.json` compiles src/stack with lib
 * ES2022 only, so these are declared here; `tsconfig.json` checks the same files with the DOM lib
 * and Node types, so every declaration below matches the DOM lib's own shape (interfaces merge,
 * `declare var` types are identical) and the two never conflict.
 *
 * Add a global here only when the stack truly needs it, and keep it to what is used.
 */

// `declare var`, as the DOM lib writes them: a `let`/`const` would clash with those declarations.
/* eslint-disable no-var */

// Timers: only through the injected Clock (src/stack/core/clock.ts) so tests can fake time.
declare function setTimeout(handler: () => void, timeout?: number): unknown;
declare function clearTimeout(id: unknown): void;

// Web Crypto randomness: only through the injected Random (src/stack/core/random.ts).
interface Crypto {
  getRandomValues<T extends ArrayBufferView>(array: T): T;
}
declare var crypto: Crypto;

// UTF-8 decoding of binary WebSocket frames (RFC 7118 §4.2).
interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
interface TextDecoder {
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare var TextDecoder: {
  prototype: TextDecoder;
  new (label?: string, options?: TextDecoderOptions): TextDecoder;
};
