import { SipStackError } from '../core/errors';

/** A request ended with a final non-2xx response (or a local 408/503 standing for one). */
export class RequestFailedError extends SipStackError {
  constructor(
    readonly status: number,
    readonly reason: string,
    message = `${status} ${reason}`,
  ) {
    super(message);
    this.name = 'RequestFailedError';
  }
}
