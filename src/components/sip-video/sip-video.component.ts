import { LitElement, html, type PropertyDeclarations } from 'lit';
import { attachStream, callStreams } from '../shared/call-handle';
import { sipVideoStyles } from './sip-video.styles';
import { VideoBinding, type VideoSource } from './video-binding';

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
 *
 * @slot placeholder - Shown while there is no remote video (default: "No video").
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
  };

  /** The call to show: a `<sip-call>` element or a stack call. Takes precedence over `for`. */
  declare call: VideoSource | undefined;

  /** The id of a `<sip-phone>` (in the same document or shadow root) whose current call to show. */
  declare for: string;

  /** `light` or `dark` forces a theme; unset follows `prefers-color-scheme`. */
  declare theme: 'light' | 'dark' | undefined;

  constructor() {
    super();
    this.for = '';
  }

  readonly #binding = new VideoBinding(this);

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
    return html`
      <video part="remote" autoplay playsinline muted aria-label="Remote video" ?hidden=${!remote}></video>
      <div part="placeholder" ?hidden=${remote}><slot name="placeholder">No video</slot></div>
      <video part="local" autoplay playsinline muted aria-label="Local preview" ?hidden=${!hasLiveVideo(localStream)}></video>
    `;
  }
}
