/**
 * A small typed event emitter for the DOM-free stack (no EventTarget there). Events are declared
 * as a map from name to argument tuple:
 *
 *   const events = new Emitter<{ message: [text: string]; stateChange: [state: State] }>();
 *   const off = events.on('message', (text) => ...);
 *
 * A listener that throws must not break the emitter's owner (a page's handler must not kill the
 * SIP stack's socket handling), so every listener runs, and errors go to `onListenerError`; with
 * none given, the first error is rethrown after all listeners have run.
 */

export type Listener<Args extends unknown[]> = (...args: Args) => void;

type EventMap<Events> = { [Name in keyof Events]: unknown[] };

export class Emitter<Events extends EventMap<Events>> {
  // Listeners of different events have different argument types; each is typed again on emit().
  #listeners = new Map<keyof Events, Set<unknown>>();
  readonly #onListenerError: ((error: unknown, event: keyof Events) => void) | undefined;

  constructor(onListenerError?: (error: unknown, event: keyof Events) => void) {
    this.#onListenerError = onListenerError;
  }

  /** Adds a listener; returns the function that removes it. */
  on<Name extends keyof Events>(event: Name, listener: Listener<Events[Name]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<Name extends keyof Events>(event: Name, listener: Listener<Events[Name]>): void {
    this.#listeners.get(event)?.delete(listener);
  }

  /** Calls the listeners registered when emit() started, in registration order. */
  emit<Name extends keyof Events>(event: Name, ...args: Events[Name]): void {
    const set = this.#listeners.get(event);
    if (!set || set.size === 0) return;
    let failure: { error: unknown } | undefined;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[Name]>)(...args);
      } catch (error) {
        if (this.#onListenerError) this.#onListenerError(error, event);
        else failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  /** Removes every listener (the owner is being disposed). */
  clear(): void {
    this.#listeners.clear();
  }
}
