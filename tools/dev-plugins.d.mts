import type { Plugin } from '@web/dev-server-core';
/** TypeScript compiled on the fly, sdp-transform and React served as ES modules. */
export declare function devPlugins(): Plugin[];
/** JsSIP and SIP.js bundled for browser tests. */
export declare function peerClientPlugins(): Plugin[];
export declare const PEER_CLIENTS: { jssip: string; sipjs: string };
export declare const nodeResolve: { exportConditions: string[] };
