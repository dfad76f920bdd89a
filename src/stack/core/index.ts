/** Injected services of the DOM-free stack (time, randomness, logging) and its typed errors. */
export { realClock } from './clock';
export type { Clock, TimerHandle } from './clock';
export { cryptoRandom, randomFromBytes, ALPHANUMERIC } from './random';
export type { Random } from './random';
export { noopLogger } from './logger';
export type { Logger } from './logger';
export { SipStackError, StateError, TimeoutError, TransportError } from './errors';
export type { TransportErrorCode } from './errors';
