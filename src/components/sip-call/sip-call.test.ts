import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { FakeCall, fakeMedia, fakeRefer } from '../shared/call.fake';
import './sip-call';
import type { SipCall } from './sip-call';

const part = (el: SipCall, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const click = (el: SipCall, name: string) => {
  const button = part(el, name);
  expect(button, `the ${name} part`).not.to.equal(null);
  button!.click();
};

async function callElement(call: FakeCall, template = html`<sip-call></sip-call>`): Promise<SipCall> {
  const el = await fixture<SipCall>(template);
  const shown = oneEvent(el, 'sip-call-state');
  el.call = call;
  await shown;
  await el.updateComplete;
  return el;
}

describe('<sip-call>', () => {
  it('reflects its state for CSS and says it in words', async () => {
    const el = await fixture<SipCall>(html`<sip-call></sip-call>`);
    el.state = 'connected';
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('connected');
    expect(part(el, 'state')!.textContent).to.equal('Connected');
    expect(part(el, 'state')!.getAttribute('role')).to.equal('status');
    await expect(el).to.be.accessible();
  });

  it('refuses controls without a call, with a readable error', async () => {
    const el = await fixture<SipCall>(html`<sip-call></sip-call>`);
    expect(() => el.hangup()).to.throw(/no call: set its `call` property/);
    expect(part(el, 'remote-name')!.textContent).to.equal('No call');
  });

  it('refuses a `call` that is not a call with a readable sip-error, and shows no call (elements fuzz test)', async () => {
    const el = await fixture<SipCall>(html`<sip-call></sip-call>`);
    const error = oneEvent(el, 'sip-error');
    (el as unknown as { call: unknown }).call = 'sip:bob@example.com';
    expect((await error).detail.error.message).to.equal(
      'call must be a call of the stack or of <sip-phone>, got string',
    );
    await el.updateComplete;
    expect(el.call).to.equal(undefined);
    expect(part(el, 'remote-name')!.textContent).to.equal('No call');
  });

  it('shows the new party when the far end names one (a PBX transfer), as text, and fires sip-remote-identity', async () => {
    const call = new FakeCall('outgoing', { uri: 'sip:pbx@example.com', displayName: 'Reception' }, 'connected');
    const el = await callElement(call);
    const hostile = '<img src=x onerror="window.pwned=1">Carol';
    const event = oneEvent(el, 'sip-remote-identity');
    call.assertIdentity({ uri: 'sip:carol@example.com', displayName: hostile });
    expect((await event).detail).to.deep.equal({ uri: 'sip:carol@example.com', displayName: hostile });
    await el.updateComplete;
    expect(part(el, 'remote-name')!.textContent).to.equal(hostile);
    expect(part(el, 'remote-uri')!.textContent).to.equal('sip:carol@example.com');
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
  });

  it("takes its call's state as soon as the call is set, before it is in the page (what a sip-incoming listener reads)", () => {
    const el = document.createElement('sip-call');
    el.call = new FakeCall('incoming', { uri: 'sip:bob@example.com', displayName: undefined });
    expect(el.state).to.equal('incoming');
    el.call = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: undefined }, 'early');
    expect(el.state).to.equal('early');
    expect(el.isConnected).to.equal(false);
  });

  it('shows an incoming call with the caller rendered as text, and answers it', async () => {
    const hostile = '<img src=x onerror="window.pwned=1">Mallory';
    const call = new FakeCall('incoming', { uri: 'sip:mallory@example.com', displayName: hostile });
    const el = await callElement(call);
    expect(el.getAttribute('state')).to.equal('incoming');
    expect(part(el, 'remote-name')!.textContent).to.equal(hostile);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(part(el, 'remote-uri')!.textContent).to.equal('sip:mallory@example.com');
    expect(part(el, 'state')!.textContent).to.equal('Incoming call');
    await expect(el).to.be.accessible();

    const connected = oneEvent(el, 'sip-call-state');
    click(el, 'answer-button');
    const event = await connected;
    expect(event.detail).to.deep.equal({ state: 'connected', previous: 'incoming' });
    expect(event.bubbles && event.composed).to.equal(true);
    expect(call.log).to.deep.equal(['answer {"audio":true,"video":false}']);
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('connected');
    expect(part(el, 'duration')!.textContent).to.equal('0:00');
    expect(part(el, 'hangup-button')).not.to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('answers with video on the chosen devices', async () => {
    const call = new FakeCall('incoming', { uri: 'sip:bob@example.com', displayName: undefined });
    const el = await callElement(call);
    el.microphone = 'mic-2';
    el.camera = 'cam-1';
    const connected = oneEvent(el, 'sip-call-state');
    click(el, 'answer-video-button');
    await connected;
    expect(call.log).to.deep.equal(['answer {"audio":{"deviceId":"mic-2"},"video":{"deviceId":"cam-1"}}']);
  });

  it('declines, then shows why the call ended, with sip-call-ended', async () => {
    const call = new FakeCall('incoming', { uri: 'sip:bob@example.com', displayName: 'Bob' });
    const el = await callElement(call);
    const ended = oneEvent(el, 'sip-call-ended');
    click(el, 'decline-button');
    expect((await ended).detail).to.deep.equal({ cause: 'declined', status: 603, reason: undefined });
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('ended');
    expect(part(el, 'state')!.textContent).to.equal('Call declined');
    expect(part(el, 'hangup-button')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('cancels an outgoing call that is still ringing', async () => {
    const call = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: undefined }, 'ringing');
    const el = await callElement(call);
    expect(part(el, 'state')!.textContent).to.equal('Ringing…');
    expect(part(el, 'remote-name')!.textContent).to.equal('bob@example.com');
    await expect(el).to.be.accessible();
    click(el, 'hangup-button');
    expect(call.log).to.deep.equal(['hangup']);
  });

  it('mutes and holds as toggle buttons, reflecting muted for CSS', async () => {
    const call = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: 'Bob' }, 'connected');
    const el = await callElement(call);
    click(el, 'mute-button');
    await el.updateComplete;
    expect(el.hasAttribute('muted')).to.equal(true);
    expect(part(el, 'mute-button')!.getAttribute('aria-pressed')).to.equal('true');
    const held = oneEvent(el, 'sip-call-state');
    click(el, 'hold-button');
    await held;
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('held');
    expect(part(el, 'hold-button')!.getAttribute('aria-pressed')).to.equal('true');
    expect(part(el, 'state')!.textContent).to.equal('On hold');
    await expect(el).to.be.accessible();
    click(el, 'hold-button');
    click(el, 'mute-button');
    await el.updateComplete;
    expect(el.hasAttribute('muted')).to.equal(false);
    expect(call.log).to.deep.equal(['mute audio', 'hold', 'unhold', 'unmute audio']);
  });

  it('says when the other party holds the call', async () => {
    const call = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: 'Bob' }, 'connected');
    const el = await callElement(call);
    call.remoteHold = true;
    call.setState('held');
    await el.updateComplete;
    expect(part(el, 'state')!.textContent).to.equal('Held by the other party');
  });

  it('sends DTMF from the keypad, by click and by keyboard', async () => {
    const call = new FakeCall('outgoing', { uri: 'sip:ivr@example.com', displayName: 'IVR' }, 'connected');
    const el = await callElement(call);
    click(el, 'keypad-button');
    await el.updateComplete;
    expect(part(el, 'keypad-button')!.getAttribute('aria-expanded')).to.equal('true');
    await expect(el).to.be.accessible();
    const keys = [...part(el, 'keypad')!.querySelectorAll('button')];
    keys.find((key) => key.textContent === '5')!.click();
    keys[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: '#', bubbles: true, composed: true }));
    keys[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'x', bubbles: true, composed: true }));
    expect(call.log).to.deep.equal(['dtmf 5', 'dtmf #']);
  });

  it('transfers from its form and reports a refused transfer as sip-error', async () => {
    const call = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: 'Bob' }, 'connected');
    const el = await callElement(call);
    click(el, 'transfer-button');
    await el.updateComplete;
    await expect(el).to.be.accessible();
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('#transfer-target')!;
    const form = part(el, 'transfer') as HTMLFormElement;
    input.value = 'carol';
    input.dispatchEvent(new InputEvent('input'));
    form.requestSubmit();
    expect(call.log).to.deep.equal(['transfer carol']);
    input.value = 'refuse';
    input.dispatchEvent(new InputEvent('input'));
    const error = oneEvent(el, 'sip-error');
    form.requestSubmit();
    expect((await error).detail.error.message).to.equal('Transfer: transfer refused: 403 Forbidden');
  });

  it('transfer(otherElement) hands its call to the stack for an attended transfer, and says when a call was replaced', async () => {
    const call = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: 'Bob' }, 'connected');
    const consultation = new FakeCall('outgoing', { uri: 'sip:carol@example.com', displayName: 'Carol' }, 'connected');
    const [el, other] = [await callElement(call), await callElement(consultation)];
    await el.transfer(other);
    expect(call.log).to.deep.equal([`transfer ${consultation.id}`]);
    const ended = oneEvent(other, 'sip-call-ended');
    consultation.end('replaced');
    expect((await ended).detail.cause).to.equal('replaced');
    await other.updateComplete;
    expect(part(other, 'state')!.textContent).to.equal('Call replaced');
  });

  describe('a transfer the peer asks for (REFER: issue 15 item 3)', () => {
    const connected = () => new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: 'Bob' }, 'connected');
    const HOSTILE = 'sip:carol@example.com;x=<img src=x onerror=alert(1)>';

    it('asks its user by default: the target as text, Accept and Decline buttons with names, accessible; Accept follows with the chosen microphone', async () => {
      const call = connected();
      const el = await callElement(call);
      el.microphone = 'mic-2';
      expect(el.transferPolicy).to.equal('ask');
      const request = fakeRefer(HOSTILE);
      call.events.emit('refer', request);
      await el.updateComplete;
      expect(request.log).to.deep.equal(['defer']);
      expect(part(el, 'transfer-target')!.textContent).to.equal(HOSTILE);
      expect(part(el, 'transfer-request')!.querySelector('img'), 'remote text is never markup').to.equal(null);
      expect(part(el, 'accept-transfer-button')!.getAttribute('aria-label')).to.equal(
        `Accept the transfer to ${HOSTILE}`,
      );
      expect(part(el, 'decline-transfer-button')!.getAttribute('aria-label')).to.equal('Decline the transfer');
      await expect(el).to.be.accessible();
      click(el, 'accept-transfer-button');
      expect(request.log).to.deep.equal(['defer', 'accept {"audio":{"deviceId":"mic-2"}}']);
      await request.outcome;
      await el.updateComplete;
      expect(part(el, 'transfer-request'), 'the question is gone').to.equal(null);
    });

    it('is answered from the keyboard: Tab reaches Accept and Decline, Enter declines', async () => {
      const call = connected();
      const el = await callElement(call);
      const request = fakeRefer('sip:carol@example.com');
      call.events.emit('refer', request);
      await el.updateComplete;
      const decline = part(el, 'decline-transfer-button') as HTMLButtonElement;
      part(el, 'accept-transfer-button')!.focus();
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'accept-transfer-button'));
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal(decline);
      await sendKeys({ press: 'Enter' });
      expect(request.log).to.deep.equal(['defer', 'reject']);
    });

    it('takes the question down when the stack declines it (timeout, or the call ended)', async () => {
      const call = connected();
      const el = await callElement(call);
      const request = fakeRefer('sip:carol@example.com');
      call.events.emit('refer', request);
      await el.updateComplete;
      expect(part(el, 'transfer-request')).to.not.equal(null);
      request.expire();
      await request.outcome;
      await el.updateComplete;
      expect(part(el, 'transfer-request')).to.equal(null);
      expect(request.log).to.deep.equal(['defer']);
    });

    it('transfer-policy="accept" follows at once and "decline" refuses, with no question', async () => {
      const call = connected();
      const el = await callElement(call, html`<sip-call transfer-policy="accept"></sip-call>`);
      const first = fakeRefer('sip:carol@example.com');
      call.events.emit('refer', first);
      el.setAttribute('transfer-policy', 'decline');
      await el.updateComplete;
      const second = fakeRefer('sip:dave@example.com');
      call.events.emit('refer', second);
      await el.updateComplete;
      expect(first.log).to.deep.equal(['accept {"audio":true}']);
      expect(second.log).to.deep.equal(['reject']);
      expect(part(el, 'transfer-request')).to.equal(null);
    });

    it('lets the page decide: preventDefault() declines, detail.accept() accepts, now or later while the question shows', async () => {
      const call = connected();
      const el = await callElement(call, html`<sip-call transfer-policy="accept"></sip-call>`);
      const seen: string[] = [];
      let later: (() => void) | undefined;
      el.addEventListener('sip-transfer-request', (event) => {
        seen.push(event.detail.target);
        if (event.detail.target.includes('premium')) event.preventDefault();
        if (event.detail.target.includes('later')) later = event.detail.accept;
      });
      const premium = fakeRefer('sip:premium@example.com');
      call.events.emit('refer', premium);
      expect(premium.log).to.deep.equal(['reject'], 'preventDefault() wins over the accept policy');

      el.transferPolicy = 'ask';
      await el.updateComplete;
      const asked = fakeRefer('sip:later@example.com');
      call.events.emit('refer', asked);
      await el.updateComplete;
      expect(part(el, 'transfer-request')).to.not.equal(null);
      later!();
      await asked.outcome;
      await el.updateComplete;
      expect(asked.log).to.deep.equal(['defer', 'accept {"audio":true}']);
      expect(part(el, 'transfer-request')).to.equal(null);
      expect(seen).to.deep.equal(['sip:premium@example.com', 'sip:later@example.com']);
    });

    it('reads an unknown transfer-policy as ask', async () => {
      const call = connected();
      const el = await callElement(call, html`<sip-call transfer-policy="acept"></sip-call>`);
      const request = fakeRefer('sip:carol@example.com');
      call.events.emit('refer', request);
      expect(request.log).to.deep.equal(['defer']);
      await el.updateComplete;
      expect(part(el, 'transfer-request')).to.not.equal(null);
    });
  });

  it('turns DTMF, transfer progress and call errors into sip-* events', async () => {
    const call = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: 'Bob' }, 'connected');
    const el = await callElement(call);
    const dtmf = oneEvent(el, 'sip-dtmf');
    call.events.emit('dtmf', { digit: '7', duration: 100, via: 'info' });
    expect((await dtmf).detail).to.deep.equal({ digit: '7', via: 'info' });
    const progress = oneEvent(el, 'sip-transfer-progress');
    call.events.emit('transfer-progress', { status: 180, reason: 'Ringing' });
    expect((await progress).detail).to.deep.equal({ status: 180, reason: 'Ringing' });
    const error = oneEvent(el, 'sip-error');
    call.events.emit('error', new Error('the peer refused the hold (488)'));
    expect((await error).detail.error.message).to.equal('the peer refused the hold (488)');
  });

  it("sends a MESSAGE in the call and turns the peer's into a sip-message that bubbles to the phone, naming the call", async () => {
    const call = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: 'Bob' }, 'connected');
    const parent = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = await callElement(call, html`<sip-call></sip-call>`);
    parent.append(el);
    expect(await el.sendMessage('hello')).to.deep.equal({ status: 200, reason: 'OK' });
    expect(call.log).to.deep.equal(['message hello']);
    let refused: unknown;
    await el.sendMessage('refuse').catch((error: unknown) => (refused = error));
    expect(refused).to.include({ status: 415 });
    const heard = oneEvent(parent, 'sip-message');
    call.events.emit('message', { body: '<b>not markup</b>', contentType: 'text/plain' });
    const { detail } = await heard;
    expect(detail).to.deep.equal({
      from: 'sip:bob@example.com',
      displayName: 'Bob',
      contentType: 'text/plain',
      body: '<b>not markup</b>',
      call: el,
    });
  });

  it('plays the remote audio of the call', async () => {
    const call = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: 'Bob' }, 'connected');
    const remote = new MediaStream();
    call.media = fakeMedia({ remote });
    const el = await callElement(call);
    expect(el.shadowRoot!.querySelector('audio')!.srcObject).to.equal(remote);
    call.end('remote-hangup');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('audio')!.srcObject).to.equal(null);
    expect(part(el, 'state')!.textContent).to.equal('The other party hung up');
  });

  it('counts the call duration', async () => {
    const call = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: 'Bob' }, 'connected');
    const el = await callElement(call);
    await new Promise<void>((resolve) => {
      const check = () => (el.duration >= 1 ? resolve() : setTimeout(check, 100));
      check();
    });
    await el.updateComplete;
    // The clock only moves in the element's one-second ticker (a task), so nothing can change
    // between the finished update and these reads: the text shows the duration the element has.
    // Which second that is depends on the machine's load, so it is not pinned to 0:01.
    const seconds = el.duration;
    expect(seconds).to.be.at.least(1);
    expect(part(el, 'duration')!.textContent).to.equal(
      `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
    );
    expect(part(el, 'duration')!.getAttribute('datetime')).to.equal(`PT${seconds}S`);
  });

  it('hangs its call up when removed from the page, not when moved', async () => {
    const call = new FakeCall('outgoing', { uri: 'sip:bob@example.com', displayName: 'Bob' }, 'connected');
    const el = await callElement(call);
    const elsewhere = document.createElement('div');
    document.body.append(elsewhere);
    elsewhere.append(el);
    await Promise.resolve();
    expect(call.log).to.deep.equal([]);
    const events: string[] = [];
    el.addEventListener('sip-call-ended', () => events.push('ended'));
    el.remove();
    await Promise.resolve();
    expect(call.log).to.deep.equal(['hangup']);
    expect(call.state).to.equal('ended');
    expect(events, 'no event from a removed element').to.deep.equal([]);
    elsewhere.remove();
  });

  it('is accessible in the dark theme', async () => {
    const call = new FakeCall('incoming', { uri: 'sip:bob@example.com', displayName: 'Bob' });
    const el = await callElement(call, html`<sip-call theme="dark"></sip-call>`);
    await expect(el).to.be.accessible();
    expect(getComputedStyle(part(el, 'base')!).backgroundColor).to.equal('rgb(13, 17, 23)');
  });
});
