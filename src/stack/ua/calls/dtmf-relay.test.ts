import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertLinearTime } from '../../../../tools/test-support/linear-time';
import { dtmfRelayBody, readDtmfRelay } from './dtmf-relay';

describe('application/dtmf-relay bodies', () => {
  it('reads what it writes, and the forms PBXs send (any case, spaces, LF or CRLF, other lines)', () => {
    assert.deepEqual(readDtmfRelay(dtmfRelayBody('5', 160), 'application/dtmf-relay'), { digit: '5', duration: 160 });
    assert.deepEqual(readDtmfRelay('signal = #\nDURATION= 250\n', 'application/dtmf-relay'), {
      digit: '#',
      duration: 250,
    });
    assert.deepEqual(readDtmfRelay('Volume=10\r\nSignal=d\r\n', 'application/dtmf-relay'), { digit: 'D', duration: 0 });
    assert.deepEqual(
      readDtmfRelay('Signal=55\r\nSignal=7\r\nDuration=x\r\nDuration=90\r\n', 'application/dtmf-relay'),
      { digit: '7', duration: 90 },
    );
    assert.deepEqual(readDtmfRelay(' 3 ', 'application/dtmf'), { digit: '3', duration: 0 });
  });

  it('finds no digit where there is none', () => {
    for (const body of ['', 'Duration=100', 'Signal=', 'Signal=E', 'Signal=12', 'Xsignal=1', '\n'.repeat(10)]) {
      assert.equal(readDtmfRelay(body, 'application/dtmf-relay'), undefined, JSON.stringify(body));
    }
  });

  // Issue 15: /^\s*signal.../im rescanned every run of line feeds from each line: 64 KiB took 5 s.
  it('reads in linear time whatever the body holds (line feeds, spaces before "=", lines of spaces)', () => {
    assertLinearTime(
      'line feeds',
      (n) => {
        const body = '\n'.repeat(n);
        return () => readDtmfRelay(body, 'application/dtmf-relay');
      },
      { n: 1_024 },
    );
    assertLinearTime(
      'spaces and line feeds',
      (n) => {
        const body = ' \n'.repeat(n / 2);
        return () => readDtmfRelay(body, 'application/dtmf-relay');
      },
      { n: 1_024 },
    );
    assertLinearTime(
      'spaces around "="',
      (n) => {
        const body = `Signal${' '.repeat(n / 2)}=${' '.repeat(n / 2)}x`;
        return () => readDtmfRelay(body, 'application/dtmf-relay');
      },
      { n: 1_024 },
    );
  });
});
