import { LitElement, html, type PropertyDeclarations } from 'lit';
import { attachStream, callStreams } from '../shared/call-handle';
import { sipVideoStyles } from './sip-video.styles';
import { VideoBinding, type VideoSource } from './video-binding';
import { Localize } from '../i18n/localize';
import type { videoStrings, VideoStrings } from './video-strings';

function hasLiveVideo(stream: MediaStream | undefined): boolean {
  return !!stream?.getVideoTracks().some((track) => track.readyState === 'live');
}

/**
 * A call's remote video with the local preview in a picture-in-picture corner. It can be placed
 * anywhere in the page: bind it to a call with the `call` property (a `<sip-call>` or a stack call),
 * or let it follow a phone's current call with `for="phone-id"`. The remote video is muted: the
 * call's audio plays from its `<sip-call>`. Leaving the page detaches both streams.
 *
 * @summary Remote video and local preview of a call.
 *
 * @attr for - The id of a `<sip-phone>` whose current call to show (when `call` is not set).
 * @attr active - Present while remote video is shown (read-only, reflected for CSS).
 * @attr theme - `light` or `dark` forces a theme; without it the page's color scheme decides.
 * @attr lang - The language of the element's texts (the global attribute): its own, else the closest ancestor's, else
 *   the document's, followed when it changes.
 *
 * @slot placeholder - Shown while there is no remote video (default: "No video", in the element's language).
 *
 * @csspart remote - The remote video.
 * @csspart local - The local preview.
 * @csspart placeholder - The box around the placeholder.
 *
 * @cssprop --sip-video-background - Background behind the videos.
 * @cssprop --sip-video-aspect-ratio - Aspect ratio of the element.
 * @cssprop --sip-video-object-fit - How the remote video fills the element.
 * @cssprop --sip-video-preview-inset - Distance of the preview from the corner.
 * @cssprop --sip-video-preview-width - Width of the preview.
 * @cssprop --sip-video-preview-radius - Corner radius of the preview.
 * @cssprop --sip-video-placeholder-color - Color of the placeholder text.
 * @cssprop --sip-font-family - Font family.
 */
export class SipVideo extends LitElement {
  static override styles = sipVideoStyles;

  // Declared statically, not by decorator: see SipPhone.properties.
  static override properties: PropertyDeclarations = {
    call: { attribute: false },
    for: {},
    theme: { reflect: true },
    strings: { attribute: false },
  };

  /** The call to show: a `<sip-call>` element or a stack call. Takes precedence over `for`. */
  declare call: VideoSource | undefined;

  /** The id of a `<sip-phone>` (in the same document or shadow root) whose current call to show. */
  declare for: string;

  /** `light` or `dark` forces a theme; unset follows `prefers-color-scheme`. */
  declare theme: 'light' | 'dark' | undefined;

  /**
   * Replacements for any of the element's texts, by key (`{ noVideo: 'Camera off' }`). The keys
   * and their English texts: `src/components/sip-video/video-strings.ts`.
   */
  declare strings: Partial<VideoStrings> | undefined;

  constructor() {
    super();
    this.for = '';
  }

  readonly #binding = new VideoBinding(this);
  readonly #t = new Localize<typeof videoStrings>(this, 'video');

  /** Whether remote video is shown now. */
  get active(): boolean {
    return hasLiveVideo(callStreams(this.#binding.call).remoteStream);
  }

  protected override willUpdate(): void {
    this.#binding.resolve();
  }

  protected override updated(): void {
    const { localStream, remoteStream } = callStreams(this.#binding.call);
    const [remote, local] = this.renderRoot.querySelectorAll('video');
    attachStream(remote, remoteStream);
    attachStream(local, localStream);
    this.toggleAttribute('active', hasLiveVideo(remoteStream));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const video of this.renderRoot.querySelectorAll('video')) attachStream(video, undefined);
  }

  override render() {
    const { localStream, remoteStream } = callStreams(this.#binding.call);
    const remote = hasLiveVideo(remoteStream);
    const t = this.#t;
    return html`
      <video part="remote" autoplay playsinline muted aria-label=${t.text('remote')} ?hidden=${!remote}></video>
      <div part="placeholder" lang=${t.lang} dir=${t.dir} ?hidden=${remote}><slot name="placeholder">${t.text('noVideo')}</slot></div>
      <video part="local" autoplay playsinline muted aria-label=${t.text('local')} ?hidden=${!hasLiveVideo(localStream)}></video>
    `;
  }
}
