// The elements inside a React app (React 19, @lit/react wrappers, no JSX so no build step): the
// configuration comes from the same URL scheme as the main demo (never a password), the password
// from a React-controlled field into the `password` property, and the phones' events into React state.
import { createElement as h, Fragment, StrictMode, useRef, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import type { SipPhone } from '../../src/index';
import { configFromUrl, hasPassword, phoneCount, type PhoneConfig } from '../demo-config';
import { Phone, Video } from './elements';

interface LogLine {
  id: number;
  text: string;
}

let nextLine = 1;

function PhoneColumn({ index, config }: { index: number; config: PhoneConfig }) {
  const phone = useRef<SipPhone>(null);
  const [typed, setTyped] = useState('');
  const [password, setPassword] = useState('');
  const [registered, setRegistered] = useState(false);
  const [log, setLog] = useState<LogLine[]>([]);
  const note = (text: string) => setLog((lines) => [...lines.slice(-19), { id: nextLine++, text }]);
  const id = `react-phone-${index}`;
  const [to, setTo] = useState('');
  const [message, setMessage] = useState('');

  const applyPassword = (event: FormEvent) => {
    event.preventDefault();
    setPassword(typed);
  };
  const send = (event: FormEvent) => {
    event.preventDefault();
    phone.current?.sendMessage(to, message).then(
      () => note(`To ${to}: ${message}`),
      (error: Error) => note(`Not sent to ${to}: ${error.message}`),
    );
    setMessage('');
  };

  return h(
    'section',
    { className: 'phone-column', 'aria-labelledby': `${id}-heading` },
    h(
      'h2',
      { className: 'phone-heading', id: `${id}-heading` },
      `Phone ${index}: ${config['display-name'] || config.user || 'not configured'}`,
      registered ? ' (registered)' : '',
    ),
    h(
      'form',
      { className: 'box', onSubmit: applyPassword },
      h(
        'label',
        null,
        'Password ',
        h('input', {
          type: 'password',
          name: 'password',
          autoComplete: 'current-password',
          value: typed,
          onChange: (e) => setTyped(e.target.value),
        }),
      ),
      h('button', { type: 'submit' }, 'Use password'),
    ),
    h(Phone, {
      ref: phone,
      id,
      server: config.server,
      user: config.user,
      domain: config.domain,
      displayName: config['display-name'],
      authUser: config['auth-user'],
      authRealm: config['auth-realm'],
      refuseMd5: config['refuse-md5'],
      requireQop: config['require-qop'],
      iceServersJson: config['ice-servers'],
      iceTransportPolicy: (config['ice-transport-policy'] || 'all') as RTCIceTransportPolicy,
      autoRegister: config.register,
      trace: config.trace,
      password,
      onRegistered: () => setRegistered(true),
      onUnregistered: () => setRegistered(false),
      onRegistrationFailed: (e) => note(`Registration failed: ${e.detail.status} ${e.detail.reason}`),
      onIncoming: (e) => note(`Incoming call from ${e.detail.displayName || e.detail.from}`),
      onCallEnded: (e) => note(`Call ended: ${e.detail.cause}`),
      onMessage: (e) => note(`${e.detail.displayName || e.detail.from}: ${e.detail.body}`),
      onError: (e) => note(`Error: ${e.detail.error.message}`),
    }),
    h(Video, { for: id }),
    h(
      'form',
      { className: 'box', onSubmit: send },
      h(
        'label',
        null,
        'To ',
        h('input', { name: 'to', value: to, required: true, onChange: (e) => setTo(e.target.value) }),
      ),
      h(
        'label',
        null,
        'Message ',
        h('input', { name: 'text', value: message, required: true, onChange: (e) => setMessage(e.target.value) }),
      ),
      h('button', { type: 'submit' }, 'Send'),
    ),
    h(
      'ol',
      { className: 'chat-log events', 'aria-live': 'polite' },
      log.map((line) => h('li', { key: line.id }, line.text)),
    ),
  );
}

function App() {
  const params = new URLSearchParams(location.search);
  const configs = [configFromUrl(params, 1), ...(phoneCount(params) === 2 ? [configFromUrl(params, 2)] : [])];
  return h(
    Fragment,
    null,
    h(
      'header',
      { className: 'page-header' },
      h('h1', null, 'sip-elements in a React app'),
      h('a', { href: `../${location.search}` }, 'Main demo'),
    ),
    passwordDropped
      ? h(
          'p',
          { className: 'warning', role: 'alert' },
          'The address contained a password. It was not used: type it below.',
        )
      : null,
    h(
      'main',
      { id: 'phones' },
      configs.map((config, at) => h(PhoneColumn, { key: at, index: at + 1, config })),
    ),
  );
}

// A password in the address is never used; take it out of the address bar (and the history) too.
const initial = new URLSearchParams(location.search);
const passwordDropped = hasPassword(initial);
if (passwordDropped) {
  const kept = new URLSearchParams([...initial].filter(([name]) => !/^pass(word)?2?$/i.test(name)));
  history.replaceState(null, '', `?${kept}`);
}

createRoot(document.getElementById('root')!).render(h(StrictMode, null, h(App)));
