// The three elements as React components through @lit/react: properties (password included) are
// set as properties, and the sip-* events are typed React callbacks.
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { SipCall, SipPhone, SipVideo, type SipEvent } from '../../src/index';

export const Phone = createComponent({
  react: React,
  tagName: 'sip-phone',
  elementClass: SipPhone,
  events: {
    onRegistered: 'sip-registered' as EventName<SipEvent<'sip-registered'>>,
    onUnregistered: 'sip-unregistered' as EventName<SipEvent<'sip-unregistered'>>,
    onRegistrationFailed: 'sip-registration-failed' as EventName<SipEvent<'sip-registration-failed'>>,
    onIncoming: 'sip-incoming' as EventName<SipEvent<'sip-incoming'>>,
    onCallState: 'sip-call-state' as EventName<SipEvent<'sip-call-state'>>,
    onCallEnded: 'sip-call-ended' as EventName<SipEvent<'sip-call-ended'>>,
    onMessage: 'sip-message' as EventName<SipEvent<'sip-message'>>,
    onError: 'sip-error' as EventName<SipEvent<'sip-error'>>,
  },
});

export const Call = createComponent({
  react: React,
  tagName: 'sip-call',
  elementClass: SipCall,
  events: { onCallState: 'sip-call-state' as EventName<SipEvent<'sip-call-state'>> },
});

export const Video = createComponent({ react: React, tagName: 'sip-video', elementClass: SipVideo });
