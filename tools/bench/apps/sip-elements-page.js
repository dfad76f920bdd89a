// Size benchmark fixture: the smallest page that uses the whole product, <sip-phone>, <sip-call>,
// <sip-video> and <sip-presence> (elements, stack, WebRTC media, lit, sdp-transform, digest hashes). Built by
// tools/bench/size.bench.ts with the project's own rollup config; never served or run.
import '../../../src/index.ts';

const phone = document.createElement('sip-phone');
phone.setAttribute('server', 'wss://sip.example.com/ws');
phone.setAttribute('user', 'alice');
phone.setAttribute('domain', 'example.com');
phone.toggleAttribute('register', true);
const video = document.createElement('sip-video');
const presence = document.createElement('sip-presence');
presence.setAttribute('target', 'bob');
document.body.append(phone, document.createElement('sip-call'), video, presence);
