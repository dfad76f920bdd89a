/**
 * Gives an SDP the ICE credentials (RFC 8839 §5.4, a=ice-ufrag / a=ice-pwd) of another one, at
 * session and media level. Used when a media session must move to a new transport that the far end
 * already knows by the credentials of an offer it has answered: an answer from a second fork of the
 * INVITE (RFC 3261 §13.2.2.4) names the offer's credentials, so the transport that receives it must
 * present them too.
 */
import * as sdpTransform from 'sdp-transform';

export function copyIceCredentials(sdp: string, from: string): string {
  const source = sdpTransform.parse(from);
  const sourceMedia = source.media.find((media) => media.port !== 0 && media.iceUfrag) ?? source;
  const ufrag = sourceMedia.iceUfrag ?? source.iceUfrag;
  const pwd = sourceMedia.icePwd ?? source.icePwd;
  if (!ufrag || !pwd) throw new Error('copyIceCredentials: the source SDP carries no ICE credentials');
  const target = sdpTransform.parse(sdp);
  if (target.iceUfrag) target.iceUfrag = ufrag;
  if (target.icePwd) target.icePwd = pwd;
  for (const media of target.media) {
    if (media.iceUfrag) media.iceUfrag = ufrag;
    if (media.icePwd) media.icePwd = pwd;
  }
  return sdpTransform.write(target);
}
